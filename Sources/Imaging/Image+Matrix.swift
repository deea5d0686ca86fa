import LinearAlgebra

extension Image {
    /// A gray image from a matrix: row i of the matrix is image row y = i, so pixel (x, y)
    /// is `matrix[y, x]`.
    public init(grayMatrix matrix: Matrix) throws(ImageError) {
        try self.init(width: matrix.columns, height: matrix.rows, channels: 1, pixels: matrix.storage)
    }

    /// The gray image as a `height x width` matrix (entry (y, x) is pixel (x, y)).
    public func grayMatrix() throws(ImageError) -> Matrix {
        guard channels == 1 else { throw .notGray(operation: "grayMatrix()", channels: channels) }
        var matrix = Matrix(rows: height, columns: width)
        matrix.storage = pixels
        return matrix
    }
}
