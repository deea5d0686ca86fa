// Being written.
import Workbook
let chapter = Chapter("02-em-gmm", title: "(being written)", question: "")
chapter.run()
