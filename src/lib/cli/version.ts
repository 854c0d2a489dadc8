/** `elb-version` / `elb-cmd version`: the legacy tool's exact text, which scripts grep for 1.0.17.0. */
export const VERSION_TEXT = 'Amazon ElasticLoadBalancing CLI version 1.0.17.0 (API 2012-06-01)\n\n'
