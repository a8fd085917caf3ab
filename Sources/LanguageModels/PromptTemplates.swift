import Amplification
import Foundation
import Tasks

/// The prompts ida sends a language model, as templates a user can read (`ida ask
/// --print-prompts`) and replace from a JSON file (`--prompts FILE`, any subset of the keys).
///
/// A template names what is filled in as `{{name}}`: the domain's guide (`{{guide}}`), a
/// workspace as the domain renders it (`{{workspace}}`), a question (`{{question}}`), an
/// instance's facts (`{{facts}}`), and why a reply was refused (`{{error}}`). Each template may use
/// only its own names, checked when a file is read.
public struct PromptTemplates: Hashable, Sendable, Codable {
    /// The supervisor's standing instructions.
    public var supervisorSystem: String
    /// One workspace to act on.
    public var supervisorWorkspace: String
    /// Sent after a reply that was no action the domain reads.
    public var malformedAction: String
    /// The assistant's standing instructions.
    public var assistantSystem: String
    /// One question to answer, with the facts it is about.
    public var assistantQuestion: String
    /// Sent after a reply that was no answer the domain reads.
    public var malformedAnswer: String

    public init(
        supervisorSystem: String, supervisorWorkspace: String, malformedAction: String, assistantSystem: String,
        assistantQuestion: String, malformedAnswer: String
    ) {
        self.supervisorSystem = supervisorSystem
        self.supervisorWorkspace = supervisorWorkspace
        self.malformedAction = malformedAction
        self.assistantSystem = assistantSystem
        self.assistantQuestion = assistantQuestion
        self.malformedAnswer = malformedAnswer
    }

    public static let standard = PromptTemplates(
        supervisorSystem: """
            You answer a question by breaking it into smaller questions. You never see the facts \
            the question is about; you can look them up one at a time, and you can ask helpers \
            sub-questions, whose answers you will be shown. Reply with exactly one line:
            ask SUB-QUESTION
            or
            answer FINAL-ANSWER
            and nothing else.

            {{guide}}
            """,
        supervisorWorkspace: """
            {{workspace}}

            Your one line (ask … or answer …):
            """,
        malformedAction: """
            That reply could not be read: {{error}}. Reply with exactly one line, `ask …` or `answer …`.
            """,
        assistantSystem: """
            You answer questions about the facts you are given. Reply with the answer alone, on one \
            line, with no explanation.

            {{guide}}
            """,
        assistantQuestion: """
            Facts:
            {{facts}}

            Question: {{question}}
            Answer:
            """,
        malformedAnswer: """
            That answer could not be read: {{error}}. Reply with the answer alone, on one line.
            """)

    /// The supervisor's conversation on `workspace`: the instructions, `examples` as earlier
    /// turns (a small model follows a shown format far better than a described one; a
    /// fine-tuning example goes without, the tuned model learning the format from the data),
    /// then the workspace.
    public func supervisorMessages(for workspace: Workspace, in domain: any Domain, examples: [DomainExample])
        -> [ChatMessage]
    {
        let guide = domain.guide
        func shown(_ workspace: Workspace) -> ChatMessage {
            ChatMessage(.user, Self.fill(supervisorWorkspace, ["workspace": domain.render(workspace), "guide": guide]))
        }
        var messages = [ChatMessage(.system, Self.fill(supervisorSystem, ["guide": guide]))]
        for example in examples {
            messages.append(shown(example.workspace))
            messages.append(ChatMessage(.assistant, domain.render(example.action)))
        }
        messages.append(shown(workspace))
        return messages
    }

    /// The assistant's conversation asking `question` about `facts`.
    public func assistantMessages(for question: Content, facts: [Content], in domain: any Domain) -> [ChatMessage] {
        let guide = domain.guide
        let listed = facts.isEmpty
            ? "(none)" : facts.enumerated().map { "\($0.offset + 1). \(domain.render($0.element))" }.joined(separator: "\n")
        return [
            ChatMessage(.system, Self.fill(assistantSystem, ["guide": guide])),
            ChatMessage(.user, Self.fill(assistantQuestion, ["facts": listed, "question": domain.render(question), "guide": guide])),
        ]
    }

    /// The names each template may use.
    static let names: [CodingKeys: Set<String>] = [
        .supervisorSystem: ["guide"], .supervisorWorkspace: ["workspace", "guide"], .malformedAction: ["error"],
        .assistantSystem: ["guide"], .assistantQuestion: ["facts", "question", "guide"], .malformedAnswer: ["error"],
    ]

    enum CodingKeys: String, CodingKey, CaseIterable {
        case supervisorSystem = "supervisor_system"
        case supervisorWorkspace = "supervisor_workspace"
        case malformedAction = "malformed_action"
        case assistantSystem = "assistant_system"
        case assistantQuestion = "assistant_question"
        case malformedAnswer = "malformed_answer"
    }

    /// Any subset of the keys replaces the standard templates'; an unknown key, or a name a
    /// template may not use, is an error.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        let unknown = try decoder.container(keyedBy: AnyKey.self).allKeys.map(\.stringValue)
            .filter { CodingKeys(rawValue: $0) == nil }
        if let first = unknown.first {
            throw PromptTemplateError.unknownTemplate(first)
        }
        var templates = Self.standard
        for key in CodingKeys.allCases {
            guard let text = try container.decodeIfPresent(String.self, forKey: key) else { continue }
            for name in Self.placeholders(in: text) where !(Self.names[key] ?? []).contains(name) {
                throw PromptTemplateError.unknownName(name, template: key.rawValue)
            }
            templates[keyPath: Self.keyPath(key)] = text
        }
        self = templates
    }

    private static func keyPath(_ key: CodingKeys) -> WritableKeyPath<PromptTemplates, String> {
        switch key {
        case .supervisorSystem: \.supervisorSystem
        case .supervisorWorkspace: \.supervisorWorkspace
        case .malformedAction: \.malformedAction
        case .assistantSystem: \.assistantSystem
        case .assistantQuestion: \.assistantQuestion
        case .malformedAnswer: \.malformedAnswer
        }
    }

    /// The `{{name}}`s of `template`, in order.
    static func placeholders(in template: String) -> [String] {
        var names: [String] = []
        var rest = template[...]
        while let open = rest.range(of: "{{"), let close = rest[open.upperBound...].range(of: "}}") {
            names.append(String(rest[open.upperBound..<close.lowerBound]))
            rest = rest[close.upperBound...]
        }
        return names
    }

    /// `template` with each `{{name}}` replaced by `values[name]`.
    static func fill(_ template: String, _ values: [String: String]) -> String {
        var text = template
        for (name, value) in values {
            text = text.replacingOccurrences(of: "{{\(name)}}", with: value)
        }
        return text
    }

    /// Reads templates from a JSON file.
    ///
    /// - Throws: ``PromptTemplateError`` for a file that cannot be read or a template that is wrong.
    public static func read(from url: URL) throws -> PromptTemplates {
        let data: Data
        do {
            data = try Data(contentsOf: url)
        } catch {
            throw PromptTemplateError.unreadable(path: url.path, reason: "\(error.localizedDescription)")
        }
        do {
            return try JSONDecoder().decode(PromptTemplates.self, from: data)
        } catch let error as PromptTemplateError {
            throw error
        } catch {
            throw PromptTemplateError.notJSON(path: url.path)
        }
    }

    /// The templates as a JSON file that ``read(from:)`` reads back (keys sorted).
    public func json() -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        return String(decoding: try! encoder.encode(self), as: UTF8.self)
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        for key in CodingKeys.allCases {
            try container.encode(self[keyPath: Self.keyPath(key)], forKey: key)
        }
    }

    private struct AnyKey: CodingKey {
        var stringValue: String
        var intValue: Int? { nil }
        init(stringValue: String) { self.stringValue = stringValue }
        init?(intValue: Int) { nil }
    }
}

/// Why a prompt file could not be used, in one line.
public enum PromptTemplateError: Error, Hashable, Sendable, CustomStringConvertible {
    case unreadable(path: String, reason: String)
    case notJSON(path: String)
    case unknownTemplate(String)
    case unknownName(String, template: String)

    public var description: String {
        switch self {
        case .unreadable(let path, let reason): "cannot read the prompt file \(path): \(reason)"
        case .notJSON(let path): "the prompt file \(path) is not a JSON object of template texts"
        case .unknownTemplate(let key):
            "the prompt file has \"\(key)\", which is no template (they are \(PromptTemplates.CodingKeys.allCases.map(\.rawValue).joined(separator: ", ")))"
        case .unknownName(let name, let template):
            "the template \(template) uses {{\(name)}}, which it cannot fill (it can fill \(PromptTemplates.names[PromptTemplates.CodingKeys(rawValue: template)!]!.sorted().map { "{{\($0)}}" }.joined(separator: ", ")))"
        }
    }
}
