// Being written.
import Workbook
let chapter = Chapter("08-why-gmm", title: "(being written)", question: "")
chapter.run()
