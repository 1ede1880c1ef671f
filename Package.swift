// swift-tools-version: 6.1
import PackageDescription

let package = Package(
    name: "LessonLens",
    platforms: [.macOS("26.0")],
    products: [
        .library(name: "LessonLens", targets: ["LessonLens"]),
        .executable(name: "lessonlens", targets: ["lessonlens"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/ordo-one/benchmark", from: "1.38.1", traits: ["MallocInterposer"]),
        .package(url: "https://github.com/hummingbird-project/hummingbird", from: "2.28.1"),
        .package(url: "https://github.com/apple/swift-nio-ssl", from: "2.37.6"),
        .package(url: "https://github.com/weichsel/ZIPFoundation", from: "0.9.20"),
        .package(url: "https://github.com/CoreOffice/XMLCoder", from: "0.18.2"),
        .package(url: "https://github.com/swiftcsv/SwiftCSV", from: "0.10.0"),
    ],
    targets: [
        // GSL, the GNU Scientific Library: statistics, sorting, distributions, random numbers.
        .systemLibrary(
            name: "CGSL",
            pkgConfig: "gsl",
            providers: [.apt(["libgsl-dev"]), .brew(["gsl"])]
        ),
        // zlib, for reading `.gz` archives (the CLI's concern, not the core's).
        .systemLibrary(
            name: "CZlibInflate",
            pkgConfig: "zlib",
            providers: [.apt(["zlib1g-dev"]), .brew(["zlib"])]
        ),
        // The layers, each a module, so that the compiler keeps them apart
        // (CONTRIBUTING.md has the picture). The core: the format's types,
        // reading, the contract's rules, metrics, the streaming engine. No
        // statistics, no terminal, no files.
        .target(name: "LessonLensCore"),
        // Statistics over many lessons (GSL): grouping and visits, summaries,
        // trends, comparisons, reliability and agreement. (S-T and profiles
        // sample one lesson's timeline: the core's Views.)
        .target(name: "LessonLensStatistics", dependencies: ["LessonLensCore", "CGSL"]),
        // What people read: text tables, JSON and CSV, SVG charts, HTML pages.
        // The capture page's script and style sheet are files of their own,
        // embedded in the library at build time.
        .target(name: "LessonLensOutput", dependencies: ["LessonLensCore", "LessonLensStatistics"],
                resources: [.embedInCode("Capture/capture.js"), .embedInCode("Capture/capture.css"), .embedInCode("Capture/sw.js")]),
        // Synthetic archives for tests, demos and benchmarks (GSL's random numbers,
        // through the statistics layer's wrapper).
        .target(name: "LessonLensGenerator", dependencies: ["LessonLensCore", "LessonLensStatistics", "CGSL"]),
        // Records kept elsewhere, in and out: Excel workbooks (ZIPFoundation for
        // the zip, XMLCoder for the parts), CSV (SwiftCSV), the school's record
        // sheet, COPUS coding sheets and BORIS exports.
        .target(name: "LessonLensSheets", dependencies: [
            "LessonLensCore", "LessonLensOutput",
            .product(name: "ZIPFoundation", package: "ZIPFoundation"),
            .product(name: "XMLCoder", package: "XMLCoder"),
            .product(name: "SwiftCSV", package: "SwiftCSV"),
        ]),
        // The library's one import for other packages: re-exports the layers.
        // Targets of this package import the layers they use directly: SwiftPM
        // does not rebuild a target when a module re-exported through an
        // umbrella changes (stale code, found as a crash in an incremental build).
        .target(
            name: "LessonLens",
            dependencies: ["LessonLensCore", "LessonLensStatistics", "LessonLensOutput", "LessonLensGenerator"]
        ),
        // `lessonlens serve`: a group's shared archive over HTTP (Hummingbird 2).
        .target(
            name: "LessonLensServer",
            dependencies: [
                "LessonLensCore", "LessonLensStatistics", "LessonLensOutput",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HummingbirdTLS", package: "hummingbird"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
            ]
        ),
        .executableTarget(
            name: "lessonlens",
            dependencies: [
                "LessonLensCore", "LessonLensStatistics", "LessonLensOutput", "LessonLensGenerator",
                "LessonLensServer", "LessonLensSheets",
                "CZlibInflate",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),
        // The fuzz harness (Fuzz/README.md): built by scripts/fuzz with
        // -sanitize=fuzzer,address -D FUZZING; a plain build runs its checks
        // on the corpus and the regressions, for the test suite.
        .executableTarget(
            name: "LessonLensFuzz",
            dependencies: [
                "LessonLensCore", "LessonLensStatistics", "LessonLensOutput", "LessonLensGenerator"],
            path: "Fuzz/LessonLensFuzz"
        ),
        // Throughput and malloc counts: `swift package benchmark` (see README).
        .executableTarget(
            name: "LessonLensBenchmarks",
            dependencies: [
                "LessonLensCore", "LessonLensStatistics", "LessonLensOutput", "LessonLensGenerator",
                .product(name: "Benchmark", package: "benchmark"),
            ],
            path: "Benchmarks/LessonLensBenchmarks",
            plugins: [.plugin(name: "BenchmarkPlugin", package: "benchmark")]
        ),
        .testTarget(
            name: "LessonLensTests",
            dependencies: ["LessonLensCore", "LessonLensStatistics", "LessonLensOutput", "LessonLensGenerator", "LessonLensSheets"],
            resources: [.copy("fixtures")]
        ),
        // The server's store under faults (a seam for write and fsync), and its
        // routes through HummingbirdTesting.
        .testTarget(name: "ServerTests", dependencies: [
            "LessonLensServer", "LessonLensCore", .product(name: "Hummingbird", package: "hummingbird"),
            .product(name: "HummingbirdTesting", package: "hummingbird"),
        ]),
        .testTarget(
            name: "CLITests",
            dependencies: [],
            resources: [.copy("fixtures")]
        ),
    ]
)
