// Being written.
import Workbook
let chapter = Chapter("06-joint-gaussian", title: "(being written)", question: "")
chapter.run()
