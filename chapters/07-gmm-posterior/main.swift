// Being written.
import Workbook
let chapter = Chapter("07-gmm-posterior", title: "(being written)", question: "")
chapter.run()
