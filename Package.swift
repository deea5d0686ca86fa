// swift-tools-version: 6.1
// The EM / Gaussian-mixture denoising workbook: library modules under Sources/, one
// executable per chapter under chapters/, tests under Tests/.
import PackageDescription

/// Every chapter is an executable `chNN-slug` built from `chapters/NN-slug/main.swift`.
let chapterSlugs = [
    "01-patches",
    "02-em-gmm",
    "03-lagrange-weights",
    "04-degenerate-init",
    "05-gsm-scale",
    "06-joint-gaussian",
    "07-gmm-posterior",
    "08-why-gmm",
    "09-denoise",
    "10-denoised-grid",
    "11-model-comparison",
    "12-segmentation",
    "13-epll",
]

let chapterTargets: [Target] = chapterSlugs.map { slug in
    .executableTarget(
        name: "ch\(slug)",
        dependencies: [
            "Workbook", "Imaging", "LinearAlgebra", "Figures", "Randomness", "NumPyFormat",
            "Mixtures", "Restoration",
            .product(name: "ArgumentParser", package: "swift-argument-parser"),
        ],
        path: "chapters/\(slug)"
    )
}

let package = Package(
    name: "GMMWorkbook",
    products: [
        .executable(name: "workbook", targets: ["workbook"]),
    ] + chapterSlugs.map { .executable(name: "ch\($0)", targets: ["ch\($0)"]) },
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-numerics", from: "1.1.1"),
        .package(url: "https://github.com/x-sheep/swift-property-based", from: "2.0.1"),
    ],
    targets: [
        // System libraries (Debian packages; `make deps` installs them).
        .systemLibrary(name: "CBLAS", path: "Sources/CBLAS"),
        .systemLibrary(name: "CLAPACK", path: "Sources/CLAPACK"),
        .systemLibrary(name: "CPNG", path: "Sources/CPNG"),
        .systemLibrary(name: "CZlib", path: "Sources/CZlib"),
        // A small C API over gnuplot-iostream (C++).
        .target(
            name: "GnuplotBridge",
            path: "Sources/GnuplotBridge",
            linkerSettings: [
                .linkedLibrary("boost_iostreams"),
                .linkedLibrary("boost_system"),
                .linkedLibrary("boost_filesystem"),
            ]
        ),
        // Library modules; dependencies point one way (see DESIGN in the README).
        .target(name: "Randomness"),
        .target(name: "LinearAlgebra", dependencies: ["CBLAS", "CLAPACK"]),
        .target(name: "Imaging", dependencies: ["LinearAlgebra", "Randomness", "CPNG", "CZlib"]),
        .target(name: "NumPyFormat", dependencies: ["CZlib"]),
        .target(name: "Mixtures", dependencies: ["LinearAlgebra", "Randomness", "NumPyFormat", "CBLAS"]),
        .target(name: "Restoration", dependencies: ["LinearAlgebra", "Mixtures", "Imaging"]),
        .target(name: "Figures", dependencies: ["GnuplotBridge"]),
        .target(
            name: "Workbook",
            dependencies: [
                "Randomness", "Figures", "Imaging",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),
        .executableTarget(
            name: "workbook",
            dependencies: [
                "Workbook", "Imaging", "LinearAlgebra", "Figures", "Mixtures", "Restoration",
                "NumPyFormat", "Randomness",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),
        // Tests.
        .target(
            name: "TestSupport",
            dependencies: ["LinearAlgebra", "Randomness"],
            path: "Tests/TestSupport"
        ),
        .testTarget(
            name: "LinearAlgebraTests",
            dependencies: [
                "LinearAlgebra", "TestSupport", "Randomness",
                .product(name: "PropertyBased", package: "swift-property-based"),
                .product(name: "RealModule", package: "swift-numerics"),
            ]
        ),
        .testTarget(
            name: "ImagingTests",
            dependencies: [
                "Imaging", "LinearAlgebra", "TestSupport", "Randomness",
                .product(name: "PropertyBased", package: "swift-property-based"),
            ]
        ),
        .testTarget(
            name: "MixturesTests",
            dependencies: [
                "Mixtures", "LinearAlgebra", "TestSupport", "Randomness", "NumPyFormat",
                .product(name: "PropertyBased", package: "swift-property-based"),
            ]
        ),
        .testTarget(
            name: "RestorationTests",
            dependencies: [
                "Restoration", "Mixtures", "LinearAlgebra", "Imaging", "TestSupport", "Randomness",
                .product(name: "PropertyBased", package: "swift-property-based"),
            ]
        ),
        .testTarget(name: "NumPyFormatTests", dependencies: ["NumPyFormat"]),
        .testTarget(name: "FiguresTests", dependencies: ["Figures"]),
        .testTarget(name: "RandomnessTests", dependencies: ["Randomness"]),
        .testTarget(name: "WorkbookTests", dependencies: ["Workbook"]),
        .testTarget(name: "ChapterTests", dependencies: ["Workbook"]),
    ] + chapterTargets,
    cxxLanguageStandard: .cxx17
)

// Fuzzing (issue 7): one libFuzzer executable per file reader, Fuzz/<Name>/main.swift.
// Declared only when WORKBOOK_FUZZ is set: `make fuzz` sets it and builds them with
// `-sanitize=fuzzer`, which links libFuzzer, so the normal build and tests never see them.
if Context.environment["WORKBOOK_FUZZ"] != nil {
    let fuzzTargets: [(name: String, dependencies: [Target.Dependency])] = [
        ("FuzzIDX", ["Imaging"]),
        ("FuzzPNG", ["Imaging", "CZlib"]),
        ("FuzzNPZ", ["NumPyFormat", "Mixtures"]),
    ]
    package.targets.append(.systemLibrary(name: "CLibFuzzer", path: "Fuzz/CLibFuzzer"))
    package.targets += fuzzTargets.map { target in
        .executableTarget(name: target.name, dependencies: ["CLibFuzzer"] + target.dependencies, path: "Fuzz/\(target.name)")
    }
}
