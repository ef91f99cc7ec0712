import HeraldCore
print(heraldVersion)
