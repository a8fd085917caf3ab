/// Checks the fields of one instance-file line against its task: parameters, size, counts,
/// lengths and tokens.
struct InstanceValidator {
    let line: Int

    func validate(
        configuration: TaskConfiguration, size: Int, facts: [[String]], questions: [[String]], answers: [[String]]?, depths: [Int]?
    ) throws(InstanceFileError) -> InstanceRecord {
        if let problem = configuration.problem { throw fail(.invalidParameters(problem)) }
        let task = configuration.makeTask()
        guard (1...configuration.size).contains(size) else { throw fail(.invalidSize(found: size, allowed: 1...configuration.size)) }
        guard !facts.isEmpty else { throw fail(.empty(field: "facts")) }
        guard !questions.isEmpty else { throw fail(.empty(field: "questions")) }
        let instance = TaskInstance(
            size: size,
            facts: try encode(facts, field: "facts", length: task.factLength, task: task),
            questions: try encode(questions, field: "questions", length: task.questionLength, task: task))
        var encodedAnswers: [Tokens]?
        if let answers {
            guard answers.count == questions.count else { throw fail(.countMismatch(field: "answers", found: answers.count, expected: questions.count)) }
            encodedAnswers = try encode(answers, field: "answers", length: task.answerLength, task: task)
        }
        if let depths {
            guard depths.count == questions.count else { throw fail(.countMismatch(field: "depths", found: depths.count, expected: questions.count)) }
            if let index = depths.firstIndex(where: { $0 < 0 }) { throw fail(.negativeDepth(index: index, found: depths[index])) }
        }
        return InstanceRecord(configuration: configuration, instance: instance, answers: encodedAnswers, depths: depths)
    }

    private func encode(_ sequences: [[String]], field: String, length: Int, task: any AmplificationTask) throws(InstanceFileError) -> [Tokens] {
        let vocabulary = task.tokenVocabulary
        var encoded: [Tokens] = []
        for (index, strings) in sequences.enumerated() {
            guard strings.count == length else { throw fail(.wrongLength(field: field, index: index, found: strings.count, expected: length)) }
            do {
                encoded.append(try vocabulary.encode(strings))
            } catch {
                switch error {
                case .unknownToken(let token, _, _): throw fail(.unknownToken(field: field, index: index, token: token))
                }
            }
        }
        return encoded
    }

    private func fail(_ problem: InstanceFileError.Problem) -> InstanceFileError {
        InstanceFileError(line: line, problem: problem)
    }
}
