/* cpr.h - checking Danish CPR numbers.
 *
 * The date must exist and the 7th digit must agree with the birth century.
 * Modulus 11 is only a warning: numbers without it have been issued since
 * 2007 and must be accepted. */
#ifndef HH_CPR_H
#define HH_CPR_H

enum hh_cpr_check {
	HH_CPR_OK = 0,
	HH_CPR_OK_NO_MOD11, /* valid, but fails modulus 11: warn */
	HH_CPR_BAD_FORM,    /* not 10 digits (DDMMYY-SSSS or DDMMYYSSSS) */
	HH_CPR_BAD_DATE,    /* no such date */
	HH_CPR_BAD_CENTURY, /* the 7th digit and the year give no century */
	HH_CPR_FUTURE,      /* born after today */
};

/* Checks s; on success writes the normalised "DDMMYY-SSSS" into out (12
 * bytes) and the full birth year into *year (may be NULL). today_days is
 * today's date as days since 1970-01-01 (0: now). */
enum hh_cpr_check hh_cpr_check(const char *s, char out[12], int *year,
			       long today_days);

#endif
