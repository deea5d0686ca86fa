// Being written.
import Workbook
let chapter = Chapter("09-denoise", title: "(being written)", question: "")
chapter.run()
