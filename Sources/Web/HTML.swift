/// A piece of HTML whose every interpolated `String` is escaped: markup comes only from string
/// literals in this module and from other `HTML` values, so text a person typed (a question, a
/// name, a refused action) can never become markup.
///
/// ```swift
/// let row: HTML = "<li>\(question)</li>"   // `question` is escaped
/// let page: HTML = "<ul>\(rows)</ul>"      // `rows: [HTML]` is inserted as it is
/// ```
struct HTML: Sendable, Hashable, ExpressibleByStringInterpolation, CustomStringConvertible {
    /// The markup.
    let rendered: String

    init(stringLiteral value: String) {
        rendered = value
    }

    init(stringInterpolation: Interpolation) {
        rendered = stringInterpolation.rendered
    }

    private init(trusted: String) {
        rendered = trusted
    }

    var description: String { rendered }

    /// `text` with `&`, `<`, `>`, `"` and `'` escaped: safe in element content and in quoted
    /// attribute values.
    static func escape(_ text: String) -> String {
        var escaped = ""
        escaped.reserveCapacity(text.utf8.count)
        for character in text {
            switch character {
            case "&": escaped += "&amp;"
            case "<": escaped += "&lt;"
            case ">": escaped += "&gt;"
            case "\"": escaped += "&quot;"
            case "'": escaped += "&#39;"
            default: escaped.append(character)
            }
        }
        return escaped
    }

    struct Interpolation: StringInterpolationProtocol {
        var rendered = ""

        init(literalCapacity: Int, interpolationCount: Int) {
            rendered.reserveCapacity(literalCapacity + 16 * interpolationCount)
        }

        mutating func appendLiteral(_ literal: String) {
            rendered += literal
        }

        mutating func appendInterpolation(_ text: String) {
            rendered += HTML.escape(text)
        }

        mutating func appendInterpolation<Value: CustomStringConvertible>(_ value: Value) {
            rendered += HTML.escape(value.description)
        }

        mutating func appendInterpolation(_ html: HTML) {
            rendered += html.rendered
        }

        mutating func appendInterpolation(_ parts: [HTML]) {
            for part in parts { rendered += part.rendered }
        }
    }
}
