/** `mon-disable-alarm-actions --help`: CloudWatch CLI 1.0.x layout, reconstructed from its help (moncli 1.0.12.1 manual pages) and the CLI reference (no jar to capture). */
export const head = "\nSYNOPSIS\n   mon-disable-alarm-actions\n        [AlarmNames [AlarmNames ...] ]  [General Options]\n\nDESCRIPTION\n       Disable all actions for a given alarm.\n\nARGUMENTS\n   AlarmNames\n       The names of the alarms. You can also set this value using\n       \"--alarm-name\". Required.\n\n\n"
export const tail = "\n\nINPUT EXAMPLES\n\n    Disables the actions of alarm my-alarm\n$PROMPT> mon-disable-alarm-actions my-alarm\n        \n\nOUTPUT\n    This command returns:\n    * OK-Disabled alarm actions\n\n\n"
export const urlVariable = 'AWS_CLOUDWATCH_URL'
