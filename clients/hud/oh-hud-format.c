/* oh-hud-format.c: words and numbers the HUD shows
 *
 * Plain GLib, so the unit test runs without a display. The daemon speaks
 * in lowercase state names; a person reads these translated labels.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#define G_LOG_DOMAIN "offhook-hud"

#include <string.h>
#include <glib/gi18n.h>

#include "oh-hud-format.h"

/**
 * oh_hud_check_number:
 * @text: what the user typed
 * @normalized: (out) (optional): the number without separators, for a phone number
 * @problem: (out) (optional): why it cannot be dialled, translated
 *
 * Judges a dial pad entry by the rules of Phone.Dial(): a number is digits,
 * "*" and "#" with an optional leading "+" (spaces, dashes and dots between
 * digits are ignored), at most 32 digits; anything else may be a user's name
 * when it is letters, digits, ".", "_", "-" and inner spaces. The daemon
 * checks again: this is feedback while typing, not a gate.
 *
 * Returns: the kind of entry
 */
OhHudNumberKind
oh_hud_check_number (const char  *text,
                     char       **normalized,
                     char       **problem)
{
  g_autoptr(GString) out = g_string_new (NULL);
  guint digits = 0;
  gboolean phone = TRUE;
  gsize length;

  if (normalized)
    *normalized = NULL;
  if (problem)
    *problem = NULL;
  if (text == NULL || *text == '\0')
    return OH_HUD_NUMBER_EMPTY;

  for (const char *p = text; *p && phone; p++)
    {
      if (g_ascii_isdigit (*p) || *p == '*' || *p == '#')
        {
          digits++;
          g_string_append_c (out, *p);
        }
      else if (*p == '+' && out->len == 0)
        g_string_append_c (out, '+');
      else if ((*p == ' ' || *p == '-' || *p == '.') && out->len > 0 && p[1] != '\0')
        continue;
      else
        phone = FALSE;
    }
  if (phone && digits > OH_HUD_MAX_DIGITS)
    {
      if (problem)
        *problem = g_strdup_printf (_("A number has at most %d digits"), OH_HUD_MAX_DIGITS);
      return OH_HUD_NUMBER_INVALID;
    }
  if (phone && digits > 0)
    {
      if (normalized)
        *normalized = g_string_free (g_steal_pointer (&out), FALSE);
      return OH_HUD_NUMBER_PHONE;
    }

  length = strlen (text);
  if (!g_utf8_validate (text, -1, NULL) || length > 64 || text[0] == ' ' ||
      text[length - 1] == ' ' || (phone && digits == 0))
    {
      if (problem)
        *problem = g_strdup (_("Type a number, an extension or the name of a user"));
      return OH_HUD_NUMBER_INVALID;
    }
  for (const char *p = text; *p; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);

      if (!g_unichar_isalnum (c) && c != '.' && c != '_' && c != '-' && c != ' ')
        {
          if (problem)
            *problem = g_strdup (_("Only digits, “+”, “*” and “#” can be dialled"));
          return OH_HUD_NUMBER_INVALID;
        }
    }
  return OH_HUD_NUMBER_NAME;
}

/**
 * oh_hud_is_dtmf_digit:
 * @digit: a string
 *
 * Returns: whether @digit is one DTMF key: 0–9, *, #, A–D
 */
gboolean
oh_hud_is_dtmf_digit (const char *digit)
{
  return digit != NULL && digit[0] != '\0' && digit[1] == '\0' &&
         strchr ("0123456789*#ABCD", digit[0]) != NULL;
}

typedef struct {
  const char *name;
  const char *label;
} Label;

static const char *
lookup (const Label *labels,
        gsize        n_labels,
        const char  *name,
        const char  *fallback)
{
  for (gsize i = 0; name && i < n_labels; i++)
    if (g_str_equal (name, labels[i].name))
      return g_dpgettext2 (GETTEXT_PACKAGE, "state", labels[i].label);
  return fallback;
}

const char *
oh_hud_presence_label (const char *presence)
{
  static const Label labels[] = {
    { "available", NC_("state", "Available") },
    { "ringing", NC_("state", "Ringing") },
    { "busy", NC_("state", "Busy") },
    { "on-hold", NC_("state", "On hold") },
    { "offline", NC_("state", "Offline") },
  };

  return lookup (labels, G_N_ELEMENTS (labels), presence, C_("state", "Unknown"));
}

/**
 * oh_hud_presence_class:
 * @presence: a User.Presence
 *
 * Returns: the CSS class of the presence indicator (never one made from
 *   the daemon's text: an unknown value is "presence-unknown")
 */
const char *
oh_hud_presence_class (const char *presence)
{
  static const char *const known[] = {
    "available", "ringing", "busy", "on-hold", "offline", NULL
  };
  static const char *const classes[] = {
    "presence-available", "presence-ringing", "presence-busy", "presence-on-hold",
    "presence-offline",
  };

  for (guint i = 0; presence && known[i]; i++)
    if (g_str_equal (presence, known[i]))
      return classes[i];
  return "presence-unknown";
}

const char *
oh_hud_call_state_label (const char *state)
{
  static const Label labels[] = {
    { "dialing", NC_("state", "Dialling…") },
    { "ringing-out", NC_("state", "Ringing…") },
    { "ringing-in", NC_("state", "Incoming call") },
    { "active", NC_("state", "Connected") },
    { "held", NC_("state", "On hold") },
    { "ended", NC_("state", "Ended") },
  };

  return lookup (labels, G_N_ELEMENTS (labels), state, C_("state", "Unknown"));
}

const char *
oh_hud_end_reason_label (const char *reason)
{
  static const Label labels[] = {
    { "local-hangup", NC_("state", "You hung up") },
    { "remote-hangup", NC_("state", "The other side hung up") },
    { "rejected", NC_("state", "Declined") },
    { "busy", NC_("state", "Busy") },
    { "no-answer", NC_("state", "No answer") },
    { "transferred", NC_("state", "Transferred") },
    { "failed", NC_("state", "Failed") },
  };

  return lookup (labels, G_N_ELEMENTS (labels), reason, "");
}

const char *
oh_hud_session_state_label (const char *state)
{
  static const Label labels[] = {
    { "setup", NC_("state", "Setting up") },
    { "ringing", NC_("state", "Ringing") },
    { "in-call", NC_("state", "In call") },
    { "on-hold", NC_("state", "On hold") },
    { "completed", NC_("state", "Completed") },
  };

  return lookup (labels, G_N_ELEMENTS (labels), state, C_("state", "Unknown"));
}

const char *
oh_hud_account_state_label (const char *state)
{
  static const Label labels[] = {
    { "disconnected", NC_("state", "Disconnected") },
    { "connecting", NC_("state", "Connecting…") },
    { "connected", NC_("state", "Connected") },
    { "access-denied", NC_("state", "Access denied") },
    { "failed", NC_("state", "Connection failed") },
  };

  return lookup (labels, G_N_ELEMENTS (labels), state, C_("state", "Service not running"));
}

const char *
oh_hud_disposition_label (const char *disposition)
{
  static const Label labels[] = {
    { "answered", NC_("state", "Answered") },
    { "missed", NC_("state", "Missed") },
    { "busy", NC_("state", "Busy") },
    { "failed", NC_("state", "Failed") },
  };

  return lookup (labels, G_N_ELEMENTS (labels), disposition, "");
}

const char *
oh_hud_direction_label (const char *direction)
{
  static const Label labels[] = {
    { "incoming", NC_("state", "Incoming") },
    { "outgoing", NC_("state", "Outgoing") },
    { "internal", NC_("state", "Internal") },
  };

  return lookup (labels, G_N_ELEMENTS (labels), direction, "");
}

/**
 * oh_hud_format_duration:
 * @seconds: a duration
 *
 * Returns: "0:07", "12:34" or "1:02:03" (negative counts as 0)
 */
char *
oh_hud_format_duration (gint64 seconds)
{
  if (seconds < 0)
    seconds = 0;
  if (seconds >= 3600)
    return g_strdup_printf ("%" G_GINT64_FORMAT ":%02d:%02d", seconds / 3600,
                            (int) (seconds / 60 % 60), (int) (seconds % 60));
  return g_strdup_printf ("%d:%02d", (int) (seconds / 60), (int) (seconds % 60));
}

/**
 * oh_hud_format_elapsed:
 * @since_usec: a time stamp of the daemon (µs since the epoch), 0 = not yet
 * @now_usec: the local clock
 *
 * The call timers tick from the daemon's AnswerTime on the local clock,
 * so the bus carries no per-second traffic.
 *
 * Returns: the duration since @since_usec, or "" when it is 0
 */
char *
oh_hud_format_elapsed (gint64 since_usec,
                       gint64 now_usec)
{
  if (since_usec <= 0)
    return g_strdup ("");
  return oh_hud_format_duration ((now_usec - since_usec) / G_USEC_PER_SEC);
}

/**
 * oh_hud_format_time:
 * @usec: µs since the epoch
 * @now: (nullable): the present, local; %NULL for the clock
 *
 * Returns: "14:05" for today, "Yesterday 14:05", a weekday within a week,
 *   else the date
 */
char *
oh_hud_format_time (gint64     usec,
                    GDateTime *now)
{
  g_autoptr(GDateTime) utc = NULL;
  g_autoptr(GDateTime) when = NULL;
  g_autoptr(GDateTime) clock = NULL;
  g_autofree char *hm = NULL;
  GDate day_now;
  GDate day_when;
  int days;

  if (usec <= 0)
    return g_strdup ("");
  utc = g_date_time_new_from_unix_utc (usec / G_USEC_PER_SEC);
  if (utc == NULL)
    return g_strdup ("");
  if (now == NULL)
    now = clock = g_date_time_new_now_local ();
  when = g_date_time_to_timezone (utc, g_date_time_get_timezone (now));
  hm = g_date_time_format (when, "%H:%M");
  g_date_set_dmy (&day_now, g_date_time_get_day_of_month (now), g_date_time_get_month (now),
                  g_date_time_get_year (now));
  g_date_set_dmy (&day_when, g_date_time_get_day_of_month (when), g_date_time_get_month (when),
                  g_date_time_get_year (when));
  days = g_date_days_between (&day_when, &day_now);
  if (days == 0)
    return g_steal_pointer (&hm);
  if (days == 1)
    /* TRANSLATORS: %s is a time of day like 14:05 */
    return g_strdup_printf (_("Yesterday %s"), hm);
  if (days > 1 && days < 7)
    /* TRANSLATORS: a weekday and time, see strftime(3) */
    return g_date_time_format (when, _("%a %H:%M"));
  /* TRANSLATORS: a date and time, see strftime(3) */
  return g_date_time_format (when, _("%d %b %Y %H:%M"));
}

/**
 * oh_hud_party:
 * @name: (nullable): a name
 * @number: (nullable): a number
 *
 * Returns: "Bob Brown (101)", the name, the number, or "Unknown"
 */
char *
oh_hud_party (const char *name,
              const char *number)
{
  gboolean has_name = name && *name;
  gboolean has_number = number && *number;

  if (has_name && has_number && !g_str_equal (name, number))
    /* TRANSLATORS: a person and their number, "Bob Brown (101)" */
    return g_strdup_printf (_("%s (%s)"), name, number);
  if (has_name)
    return g_strdup (name);
  if (has_number)
    return g_strdup (number);
  return g_strdup (_("Unknown"));
}

/**
 * oh_hud_search_key:
 * @text: (nullable): search text or a field
 *
 * Returns: @text normalized and case-folded, for oh_hud_matches()
 */
char *
oh_hud_search_key (const char *text)
{
  g_autofree char *normal = NULL;

  if (text == NULL || !g_utf8_validate (text, -1, NULL))
    return g_strdup ("");
  normal = g_utf8_normalize (text, -1, G_NORMALIZE_ALL);
  return g_utf8_casefold (normal ? normal : "", -1);
}

/**
 * oh_hud_matches:
 * @needle_key: the search, from oh_hud_search_key()
 * @fields: (array zero-terminated=1): the texts to search
 *
 * Returns: whether any field contains the search; an empty search matches
 */
gboolean
oh_hud_matches (const char        *needle_key,
                const char *const *fields)
{
  if (needle_key == NULL || *needle_key == '\0')
    return TRUE;
  for (guint i = 0; fields && fields[i]; i++)
    {
      g_autofree char *key = oh_hud_search_key (fields[i]);

      if (strstr (key, needle_key) != NULL)
        return TRUE;
    }
  return FALSE;
}
