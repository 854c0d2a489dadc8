#!/usr/bin/env node
// The oclif multi-command entry (discovery and help of every command, incl. `elb-local …`).
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = 'true'
import('@oclif/core').then(({execute}) => execute({dir: import.meta.url}))
