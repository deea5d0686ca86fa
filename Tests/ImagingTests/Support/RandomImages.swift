import Imaging
import Randomness

/// A gray or RGB image with integer values drawn uniformly from 0...maximum.
func randomIntegerImage(width: Int, height: Int, channels: Int = 1, maximum: Int = 255, seed: UInt64) throws -> Image {
    var generator = SeededGenerator(seed: seed)
    let pixels = (0..<(width * height * channels)).map { _ in Double(generator.nextInt(below: maximum + 1)) }
    return try Image(width: width, height: height, channels: channels, pixels: pixels)
}

/// A gray or RGB image with values uniform in [0, 1).
func randomUnitImage(width: Int, height: Int, channels: Int = 1, seed: UInt64) throws -> Image {
    var generator = SeededGenerator(seed: seed)
    let pixels = (0..<(width * height * channels)).map { _ in generator.nextUniform() }
    return try Image(width: width, height: height, channels: channels, pixels: pixels)
}
