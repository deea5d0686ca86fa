// Being written.
import Workbook
let chapter = Chapter("11-model-comparison", title: "(being written)", question: "")
chapter.run()
