/// # 01 · Patches of MNIST digits
///
/// (A placeholder chapter that exercises the Workbook runtime; the real chapter replaces it.)
///
/// An n × n image has (n − m + 1)² overlapping m × m patches.
import Workbook

let chapter = Chapter("01-patches", title: "Patches of MNIST digits", question: "Simulation question 1")

let side = 28
var patchSide = 0

chapter.step("Choose the patch size") { ctx in
    patchSide = ctx.choose(full: 16, quick: 8)
    ctx.narrate("A \(side) × \(side) digit, patches of side \(patchSide).")
    ctx.report("patch side", patchSide, unit: "pixels")
}

chapter.step("Count the overlapping patches") { ctx in
    let perAxis = side - patchSide + 1
    let counted = (0..<perAxis).flatMap { row in (0..<perAxis).map { column in (row, column) } }.count
    ctx.report("patches per digit", counted)
    ctx.check("count is (n − m + 1)²", equals: perAxis * perAxis, actual: counted)
}

chapter.run()
