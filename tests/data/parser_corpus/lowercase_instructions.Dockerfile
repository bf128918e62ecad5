from alpine as base
run echo lower
copy --from=base /a /b
Env A=1
arG X=2
workdir /app
