print("heaters")
