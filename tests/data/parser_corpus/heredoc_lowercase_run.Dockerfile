from alpine
run <<eof
lower
eof
