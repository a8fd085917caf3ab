/// How generation and training interleave.
public enum TrainingSchedule: String, Codable, Sendable, CaseIterable, Hashable {
    /// The paper's schedule (reference §5.5, deterministic variant): every `generationInterval`
    /// steps, amplify `instancesPerGeneration` fresh instances into the replay buffer; one Adam step
    /// per step on a batch drawn from the buffer; EMA teacher update; size curriculum.
    case continuous
    /// Discrete iterations (DESIGN §6): amplify a dataset with the current teacher, distill the
    /// student on it for a fixed number of steps, swap the new teacher in, evaluate, repeat; each
    /// round reports the capability frontier.
    case rounds
}
