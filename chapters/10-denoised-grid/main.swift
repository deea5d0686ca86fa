// Being written.
import Workbook
let chapter = Chapter("10-denoised-grid", title: "(being written)", question: "")
chapter.run()
