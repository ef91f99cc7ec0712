import CLibXML2
func silence() { herald_xml_silence_errors() }
