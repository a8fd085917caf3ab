/// Text read from outside ida (a token, a field name, a parameter key, a migration name, a
/// message from SQLite or Foundation) made fit for a one-line error message.
///
/// Why: such text can hold any string: a line break would split the message that
/// `ida` promises is one line, a format or separator character (`U+2028`) would hide or move
/// text in a terminal, and a megabyte-long key would bury the rest of the message.
///
/// ```swift
/// ErrorText.printable("a\nb\"c")   // a\nb\"c, one line
/// ```
public enum ErrorText {
    /// Characters of `text` kept before the cut.
    public static let limit = 80

    /// `text` with line breaks, other control and format characters, quotes and backslashes
    /// escaped (`\n`, `\"`, `\u{2028}`), cut after ``limit`` characters with an ellipsis.
    public static func printable(_ text: String) -> String {
        var out = ""
        for (index, scalar) in text.unicodeScalars.enumerated() {
            if index == limit { return out + "…" }
            switch scalar {
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            case "\"", "\\": out += "\\" + String(scalar)
            default:
                switch scalar.properties.generalCategory {
                case .control, .format, .lineSeparator, .paragraphSeparator, .surrogate, .privateUse, .unassigned:
                    out += "\\u{" + String(scalar.value, radix: 16) + "}"
                default: out.unicodeScalars.append(scalar)
                }
            }
        }
        return out
    }
}
