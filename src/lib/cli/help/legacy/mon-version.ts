/** `mon-version --help`: the layout of `elb-version --help` with the CloudWatch CLI reference's description. */
export const head = "\nSYNOPSIS\n   version\n      \n\nDESCRIPTION\n       Prints the version of the CLI tool and API.\n\n\n"
export const tail = ''
