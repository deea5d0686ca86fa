// Being written.
import Workbook
let chapter = Chapter("05-gsm-scale", title: "(being written)", question: "")
chapter.run()
