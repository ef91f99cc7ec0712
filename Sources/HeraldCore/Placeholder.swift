import HeraldParse
import HeraldFetch
import HeraldStore
public let heraldVersion = "0.1.0"
