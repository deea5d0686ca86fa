import Imaging
import PropertyBased
import Randomness
import Testing

@Suite struct ChannelSplitAndStack {
    /// Splitting an image into its channels and stacking them back gives the image, value for
    /// value, gray or RGB; each channel holds the values of its channel.
    @Test func splitThenStackIsTheIdentity() async {
        await propertyCheck(
            count: 30, input: Gen.int(in: 1...12), Gen.int(in: 1...12), Gen.bool, Gen.uint64(in: 0...UInt64.max)
        ) { width, height, isColour, seed in
            let image = try! randomUnitImage(width: width, height: height, channels: isColour ? 3 : 1, seed: seed)
            let channels = (0..<image.channels).map { try! image.channel($0) }
            for (c, channel) in channels.enumerated() {
                #expect(channel.isGray && channel.width == width && channel.height == height)
                for y in 0..<height {
                    for x in 0..<width { #expect(channel[x: x, y: y] == image[x: x, y: y, channel: c]) }
                }
            }
            #expect(try! Image(stacking: channels) == image)
        }
    }

    /// Stacking three gray images and taking channel c gives the c-th image back.
    @Test func stackThenSplitGivesTheChannels() async {
        await propertyCheck(count: 30, input: Gen.int(in: 1...12), Gen.int(in: 1...12), Gen.uint64(in: 0...UInt64.max)) {
            width, height, seed in
            let grays = (0..<3).map { try! randomIntegerImage(width: width, height: height, seed: seed &+ UInt64($0)) }
            let stacked = try! Image(stacking: grays)
            #expect(stacked.channels == 3)
            #expect((0..<3).map { try! stacked.channel($0) } == grays)
        }
    }

    /// The layout is the interleaved one of `Image.pixels`: R, G, B of pixel 0, then pixel 1.
    @Test func interleavesPixelByPixel() throws {
        let red = try Image(width: 2, height: 1, pixels: [1, 2])
        let green = try Image(width: 2, height: 1, pixels: [3, 4])
        let blue = try Image(width: 2, height: 1, pixels: [5, 6])
        #expect(try Image(stacking: [red, green, blue]).pixels == [1, 3, 5, 2, 4, 6])
        #expect(try Image(stacking: [red]) == red)
    }

    @Test func badChannelsThrow() throws {
        let gray = try Image(width: 3, height: 2, repeating: 0.5)
        let rgb = gray.rgb()
        for c in [-1, 3] { #expect(throws: ImageError.self) { try rgb.channel(c) } }
        #expect(throws: ImageError.self) { try gray.channel(1) }
        #expect(try gray.channel(0) == gray)
        // 0, 2 or 4 images; a colour image among them; sizes that differ.
        for count in [0, 2, 4] {
            #expect(throws: ImageError.self) { try Image(stacking: Array(repeating: gray, count: count)) }
        }
        #expect(throws: ImageError.notGray(operation: "stacking channel 1", channels: 3)) {
            try Image(stacking: [gray, rgb, gray])
        }
        let wider = try Image(width: 4, height: 2, repeating: 0.5)
        #expect(throws: ImageError.self) { try Image(stacking: [gray, gray, wider]) }
    }
}
