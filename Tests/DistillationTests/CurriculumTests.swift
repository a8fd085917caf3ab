import Distillation
import Testing

@Suite struct CurriculumTests {
    @Test(arguments: [0.9, 0.95, 1.0])
    func sizeGrowsOnlyAfterEnoughAgreeingGenerations(agreement: Double) {
        var curriculum = Curriculum(
            configuration: CurriculumConfiguration(horizon: 4, minimumGenerations: 3), minimumSize: 4, fullSize: 6)
        #expect(curriculum.size == 4)
        let first = curriculum.record(agreement: agreement)
        let second = curriculum.record(agreement: agreement)
        let third = curriculum.record(agreement: agreement)
        #expect(!first && !second && third)
        #expect(curriculum.size == 5)
        #expect(curriculum.generationsAtSize == 0)
    }

    @Test(arguments: [0.0, 0.5, 0.85])
    func sizeStaysWhileAgreementIsAtOrBelowThreshold(agreement: Double) {
        var curriculum = Curriculum(
            configuration: CurriculumConfiguration(horizon: 5, minimumGenerations: 5), minimumSize: 4, fullSize: 6)
        for _ in 0..<50 { curriculum.record(agreement: agreement) }
        #expect(curriculum.size == 4)
    }

    @Test func sizeStopsAtFullSize() {
        var curriculum = Curriculum(
            configuration: CurriculumConfiguration(horizon: 1, minimumGenerations: 1), minimumSize: 4, fullSize: 6)
        for _ in 0..<10 { curriculum.record(agreement: 1) }
        #expect(curriculum.size == 6)
    }

    @Test func disabledCurriculumStartsAtFullSize() {
        let curriculum = Curriculum(configuration: CurriculumConfiguration(enabled: false), minimumSize: 4, fullSize: 6)
        #expect(curriculum.size == 6)
    }

    @Test func startSizeOverridesMinimumSize() {
        let curriculum = Curriculum(configuration: CurriculumConfiguration(startSize: 5), minimumSize: 4, fullSize: 6)
        #expect(curriculum.size == 5)
    }

    @Test func startSizeAboveFullSizeTraps() async {
        await #expect(processExitsWith: .failure) {
            _ = Curriculum(configuration: CurriculumConfiguration(startSize: 9), minimumSize: 4, fullSize: 6)
        }
    }
}
