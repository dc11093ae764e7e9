# The reference for Concorde's weighting: R's survey package (Debian: r-cran-survey).
#
# Rscript bench/weighting/rake.R PANEL.csv MARGINS.csv BY WEIGHTS_OUT [ESTIMATE ESTIMATES_OUT]
#
# PANEL.csv: ';'-separated, UTF-8, with an `id` column. MARGINS.csv: variable;modalite;effectif,
# counts with the same total for every variable (as bench/weighting/gen_panel.py writes them).
# BY: raking variables, comma-separated (e.g. sexe,age,quartier). ESTIMATE: variables whose
# category shares are estimated with svymean on the raked design (e.g. aide,asso).
#
# rake() is run to convergence: its default stopping rule (epsilon = 1, maxit = 10) is loose, so
# epsilon = 1e-12 (relative to the sum of the initial weights, on the change of the joint table
# between iterations) and maxit = 5000. Writes id;weight with 17 significant digits, and
# variable;category;estimate;se; prints `rake_seconds=` (time of rake() alone) on stdout.

suppressPackageStartupMessages(library(survey))

args <- commandArgs(trailingOnly = TRUE)
if (length(args) < 4) {
  stop("usage: rake.R PANEL MARGINS BY WEIGHTS_OUT [ESTIMATE ESTIMATES_OUT]")
}
read <- function(path) {
  read.csv(path, sep = ";", colClasses = "character", check.names = FALSE,
           fileEncoding = "UTF-8", na.strings = character(0), strip.white = TRUE)
}
panel <- read(args[1])
margins <- read(args[2])
names(margins)[1:3] <- c("variable", "category", "target")
margins$target <- as.numeric(gsub(",", ".", gsub("[[:space:]]", "", margins$target)))
by <- strsplit(args[3], ",")[[1]]

populations <- list()
formulas <- list()
for (v in by) {
  m <- margins[margins$variable == v, ]
  panel[[v]] <- factor(panel[[v]], levels = m$category)
  if (any(is.na(panel[[v]]))) stop("panel values of ", v, " outside its margins")
  pop <- data.frame(m$category, m$target)
  names(pop) <- c(v, "Freq")
  populations[[length(populations) + 1]] <- pop
  formulas[[length(formulas) + 1]] <- as.formula(paste0("~`", v, "`"))
}

design <- suppressWarnings(svydesign(ids = ~1, data = panel))
elapsed <- system.time(
  raked <- rake(design, formulas, populations, control = list(maxit = 5000, epsilon = 1e-12))
)[["elapsed"]]
cat(sprintf("rake_seconds=%.4f\n", elapsed))

write.table(data.frame(id = panel$id, weight = sprintf("%.17g", weights(raked))),
            args[4], sep = ";", quote = FALSE, row.names = FALSE)

if (length(args) >= 6) {
  rows <- list()
  for (v in strsplit(args[5], ",")[[1]]) {
    for (cat in sort(unique(panel[[v]]))) {
      raked <- update(raked, .y = as.numeric(panel[[v]] == cat))
      est <- svymean(~.y, raked)
      rows[[length(rows) + 1]] <- data.frame(variable = v, category = cat,
                                             estimate = sprintf("%.17g", coef(est)[[1]]),
                                             se = sprintf("%.17g", SE(est)[[1]]))
    }
  }
  write.table(do.call(rbind, rows), args[6], sep = ";", quote = FALSE, row.names = FALSE)
}
