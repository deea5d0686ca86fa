print("chapter 01: in progress")
