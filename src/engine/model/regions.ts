/** The Region list lives in src/common/ (the CLI checks names before signing with the same list). */
export {isKnownRegion, knownRegions} from '../../common/regions.js'
