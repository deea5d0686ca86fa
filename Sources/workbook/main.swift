print("workbook: in progress")
