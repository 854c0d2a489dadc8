/** `elb-version --help`, verbatim from ELB CLI 1.0.17.0 (captured by running the legacy jar). */
export const head = "\nSYNOPSIS\n   version\n      \n\nDESCRIPTION\n       Prints the version of the CLI tool and the API.\n\n\n"
export const tail = ""
