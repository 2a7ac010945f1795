# Writes an instance file nested 80,000 levels deep (arrays), which overflowed the stack of the
# JSON parser before the nesting was bounded. Usage: cmake -DOUT=<file> -P write-deep-json.cmake
string(REPEAT "[" 80000 open)
string(REPEAT "]" 80000 close)
file(WRITE ${OUT} "{\"layers\": 32, \"users\": ${open}${close}}\n")
