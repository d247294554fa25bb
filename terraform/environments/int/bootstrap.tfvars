environment = "int"
