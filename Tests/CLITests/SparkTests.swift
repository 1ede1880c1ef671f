import Foundation
import Testing

/// `scripts/spark-summary` gives what `lessonlens summary` gives, with
/// `local[2]` and with a standalone master and worker started on 127.0.0.1
/// (PySpark and Java 17; `scripts/ensure-deps` installs both).
@Suite struct SparkTests {
    static var javaRuns: Bool { (try? Helper.run("/usr/bin/env", ["java", "-version"]).status) == 0 }

    @Test(.enabled(if: SparkTests.javaRuns && Helper.pythonHas("pyspark"),
                   "needs Java 17 and Python's pyspark (scripts/ensure-deps installs them)"),
          .timeLimit(.minutes(10)))
    func sparkSummaryIsTheSummary() throws {
        let (status, text) = try Helper.python("Tests/Spark/spark_test.py", [CLI.executable.path])
        #expect(status == 0, "\(text)")
        #expect(text.contains("7 passed, 0 failed"), "\(text)")
    }
}
