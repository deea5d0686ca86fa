// Being written.
import Workbook
let chapter = Chapter("12-segmentation", title: "(being written)", question: "")
chapter.run()
