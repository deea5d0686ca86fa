// Being written.
import Workbook
let chapter = Chapter("03-lagrange-weights", title: "(being written)", question: "")
chapter.run()
