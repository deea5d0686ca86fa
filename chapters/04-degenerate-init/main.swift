// Being written.
import Workbook
let chapter = Chapter("04-degenerate-init", title: "(being written)", question: "")
chapter.run()
