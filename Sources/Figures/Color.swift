/// An sRGB colour for lines, markers and overlays.
public struct Color: Sendable, Hashable {
    public var red: UInt8
    public var green: UInt8
    public var blue: UInt8

    public init(red: UInt8, green: UInt8, blue: UInt8) {
        self.red = red
        self.green = green
        self.blue = blue
    }

    /// "#rrggbb".
    public var hex: String {
        "#" + [red, green, blue].map { byte in
            let digits = String(byte, radix: 16)
            return digits.count == 1 ? "0" + digits : digits
        }.joined()
    }

    // The Tableau 10 palette (matplotlib's default cycle): distinguishable, print well.
    public static let blue = Color(red: 0x1f, green: 0x77, blue: 0xb4)
    public static let orange = Color(red: 0xff, green: 0x7f, blue: 0x0e)
    public static let green = Color(red: 0x2c, green: 0xa0, blue: 0x2c)
    public static let red = Color(red: 0xd6, green: 0x27, blue: 0x28)
    public static let purple = Color(red: 0x94, green: 0x67, blue: 0xbd)
    public static let brown = Color(red: 0x8c, green: 0x56, blue: 0x4b)
    public static let pink = Color(red: 0xe3, green: 0x77, blue: 0xc2)
    public static let gray = Color(red: 0x7f, green: 0x7f, blue: 0x7f)
    public static let olive = Color(red: 0xbc, green: 0xbd, blue: 0x22)
    public static let cyan = Color(red: 0x17, green: 0xbe, blue: 0xcf)
    // Saturated colours that stand out over gray images.
    public static let yellow = Color(red: 0xff, green: 0xd7, blue: 0x00)
    public static let white = Color(red: 0xff, green: 0xff, blue: 0xff)
    public static let black = Color(red: 0x00, green: 0x00, blue: 0x00)

    /// The colours given to series that do not choose one, in order.
    public static let cycle: [Color] = [.blue, .orange, .green, .red, .purple, .brown, .pink,
                                        .gray, .olive, .cyan]
}
