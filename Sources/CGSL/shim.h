#ifndef LESSONLENS_CGSL_SHIM_H
#define LESSONLENS_CGSL_SHIM_H

#include <gsl/gsl_errno.h>
#include <gsl/gsl_statistics_double.h>
#include <gsl/gsl_cdf.h>
#include <gsl/gsl_fit.h>
#include <gsl/gsl_rng.h>
#include <gsl/gsl_randist.h>
#include <gsl/gsl_math.h>

/* GSL exposes its generator types as C globals; Swift cannot read those safely
   under strict concurrency, so hand them out through inline functions. */
static inline const gsl_rng_type *lessonlens_rng_mt19937(void) { return gsl_rng_mt19937; }

#endif
