/* oh-dial-uri.c: tel:, sip:, sips: and callto: links to something Dial takes
 *
 * A link comes from a web page or a mail, so it is treated as hostile: it
 * is checked as a whole (length, control characters, UTF-8), split on its
 * structural characters first and %-decoded piece by piece afterwards (so
 * that "%3B" cannot make a parameter), and what is left must be a number of
 * digits, "*", "#" and a leading "+", or a user name made of the characters
 * the daemon's Dial() allows. Nothing else ever reaches the bus.
 *
 * Readings of the standards, where they leave a choice:
 * - tel: (RFC 3966). Visual separators "-", ".", "(", ")" (and a %-encoded
 *   space) are dropped. ";ext=" is an extension behind the number, reached
 *   after the call is answered: it is returned apart, as digits to send as
 *   DTMF, not dialled with the number. ";isub=", ";phone-context=" and
 *   other well-formed parameters are ignored: the PBX decides the context.
 *   Local numbers need no ";phone-context=" (links like tel:101 are common);
 *   hex digits of local numbers cannot be dialled and are refused. A raw "#"
 *   is taken as a digit, as phones do, although RFC 3966 wants "%23".
 * - sip:/sips: (RFC 3261). Only the user part is dialled, through the
 *   user's own PBX, whatever the host; links with a password are refused.
 *   A telephone-subscriber user part (";ext=" etc. before the "@") is read
 *   like tel:. URI parameters and headers are ignored. "sip:101" without a
 *   host is taken as the number 101.
 * - callto: (no standard; Skype and NetMeeting): "callto:X" and
 *   "callto://X", with an optional trailing "/" and "?query" ignored.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include <string.h>
#include <glib/gi18n.h>

#include "oh-dial-uri.h"

#define MAX_NAME_LENGTH 64
#define NUMBER_CHARS "0123456789*#+-.() "

G_DEFINE_QUARK (oh-dial-uri-error-quark, oh_dial_uri_error)

void
oh_dial_uri_free (OhDialUri *parsed)
{
  if (parsed == NULL)
    return;
  g_free (parsed->target);
  g_free (parsed->extension);
  g_free (parsed);
}

/* --- pieces ------------------------------------------------------------ */

static char *
percent_decode (const char  *text,
                gsize        length,
                GError     **error)
{
  g_autoptr(GString) out = g_string_sized_new (length);

  for (gsize i = 0; i < length; i++)
    {
      int high, low;
      guchar byte;

      if (text[i] != '%')
        {
          g_string_append_c (out, text[i]);
          continue;
        }
      high = i + 1 < length ? g_ascii_xdigit_value (text[i + 1]) : -1;
      low = i + 2 < length ? g_ascii_xdigit_value (text[i + 2]) : -1;
      if (high < 0 || low < 0)
        {
          g_set_error_literal (error, OH_DIAL_URI_ERROR, OH_DIAL_URI_ERROR_CHARACTERS,
                               _("The link has a broken percent escape"));
          return NULL;
        }
      byte = (guchar) (high << 4 | low);
      if (byte < 0x20 || byte == 0x7f)
        {
          g_set_error_literal (error, OH_DIAL_URI_ERROR, OH_DIAL_URI_ERROR_CHARACTERS,
                               _("The link contains control characters"));
          return NULL;
        }
      g_string_append_c (out, (char) byte);
      i += 2;
    }
  if (!g_utf8_validate (out->str, out->len, NULL))
    {
      g_set_error_literal (error, OH_DIAL_URI_ERROR, OH_DIAL_URI_ERROR_CHARACTERS,
                           _("The link is not valid UTF-8"));
      return NULL;
    }
  return g_string_free (g_steal_pointer (&out), FALSE);
}

static gboolean
is_number_text (const char *text)
{
  return *text != '\0' && strspn (text, NUMBER_CHARS) == strlen (text);
}

/* Keeps the digits, "*", "#" and a leading "+" of a number, drops the
 * visual separators. */
static char *
normalize_number (const char  *text,
                  GError     **error)
{
  g_autoptr(GString) out = g_string_new (NULL);
  guint digits = 0;

  for (const char *p = text; *p; p++)
    {
      if (g_ascii_isdigit (*p) || *p == '*' || *p == '#')
        {
          g_string_append_c (out, *p);
          digits++;
        }
      else if (*p == '+' && p == text)
        g_string_append_c (out, '+');
      else if (strchr ("-.() ", *p) == NULL)
        {
          g_set_error (error, OH_DIAL_URI_ERROR, OH_DIAL_URI_ERROR_NOT_DIALABLE,
                       _("“%s” is not a number that can be dialled"), text);
          return NULL;
        }
    }
  if (digits == 0)
    {
      g_set_error_literal (error, OH_DIAL_URI_ERROR, OH_DIAL_URI_ERROR_NOT_DIALABLE,
                           _("The link has no number"));
      return NULL;
    }
  if (digits > OH_DIAL_URI_MAX_DIGITS)
    {
      g_set_error (error, OH_DIAL_URI_ERROR, OH_DIAL_URI_ERROR_NOT_DIALABLE,
                   _("The number has more than %d digits"), OH_DIAL_URI_MAX_DIGITS);
      return NULL;
    }
  return g_string_free (g_steal_pointer (&out), FALSE);
}

/* The daemon's rule for user names: letters, digits, ".", "_", "-" and
 * inner spaces, at most 64 bytes. */
static gboolean
is_user_name (const char *name)
{
  gsize length = strlen (name);

  if (length == 0 || length > MAX_NAME_LENGTH || name[0] == ' ' || name[length - 1] == ' ')
    return FALSE;
  for (const char *p = name; *p; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);

      if (!g_unichar_isalnum (c) && c != '.' && c != '_' && c != '-' && c != ' ')
        return FALSE;
    }
  return TRUE;
}

/* A number when it looks like one (and then it must be a good one), a user
 * name otherwise. */
static char *
number_or_name (const char  *text,
                GError     **error)
{
  if (*text == '\0')
    {
      g_set_error_literal (error, OH_DIAL_URI_ERROR, OH_DIAL_URI_ERROR_NOT_DIALABLE,
                           _("The link names no one to call"));
      return NULL;
    }
  if (is_number_text (text))
    return normalize_number (text, error);
  if (is_user_name (text))
    return g_strdup (text);
  g_set_error (error, OH_DIAL_URI_ERROR, OH_DIAL_URI_ERROR_NOT_DIALABLE,
               _("“%s” is neither a phone number nor a user name that can be called"), text);
  return NULL;
}

static gboolean
is_param_name (const char *name,
               gsize       length)
{
  if (length == 0)
    return FALSE;
  for (gsize i = 0; i < length; i++)
    if (!g_ascii_isalnum (name[i]) && name[i] != '-')
      return FALSE;
  return TRUE;
}

static gboolean
syntax_error (GError **error)
{
  g_set_error_literal (error, OH_DIAL_URI_ERROR, OH_DIAL_URI_ERROR_SYNTAX,
                       _("The link has an empty or malformed parameter"));
  return FALSE;
}

/* RFC 3966 parameters (";name=value"), raw. Only ext is kept. */
static gboolean
parse_tel_params (char *const  *params,
                  char        **extension,
                  GError      **error)
{
  for (guint i = 0; params[i]; i++)
    {
      const char *param = params[i];
      const char *equals = strchr (param, '=');
      gsize name_length = equals ? (gsize) (equals - param) : strlen (param);
      g_autofree char *value = NULL;

      if (!is_param_name (param, name_length))
        return syntax_error (error);
      if (equals)
        {
          value = percent_decode (equals + 1, strlen (equals + 1), error);
          if (value == NULL)
            return FALSE;
        }
      if (name_length == 3 && g_ascii_strncasecmp (param, "ext", 3) == 0)
        {
          g_autofree char *digits = NULL;

          /* Digits and separators only: this becomes DTMF. */
          if (*extension == NULL && value != NULL && is_number_text (value) &&
              strpbrk (value, "+*#") == NULL)
            digits = normalize_number (value, NULL);
          if (digits == NULL)
            {
              g_set_error (error, OH_DIAL_URI_ERROR, OH_DIAL_URI_ERROR_SYNTAX,
                           _("The extension “%s” is not a number"), value ? value : "");
              return FALSE;
            }
          *extension = g_steal_pointer (&digits);
        }
      else if (equals && *value == '\0')
        return syntax_error (error);
    }
  return TRUE;
}

/* --- schemes ----------------------------------------------------------- */

static OhDialUri *
parse_tel (const char  *rest,
           GError     **error)
{
  g_auto(GStrv) parts = NULL;
  g_autofree char *number = NULL;
  g_autofree char *extension = NULL;
  OhDialUri *parsed;

  if (*rest == '\0')
    {
      g_set_error_literal (error, OH_DIAL_URI_ERROR, OH_DIAL_URI_ERROR_NOT_DIALABLE,
                           _("The link has no number"));
      return NULL;
    }
  parts = g_strsplit (rest, ";", -1);
  number = percent_decode (parts[0], strlen (parts[0]), error);
  if (number == NULL)
    return NULL;
  if (*number == '\0')
    {
      g_set_error_literal (error, OH_DIAL_URI_ERROR, OH_DIAL_URI_ERROR_NOT_DIALABLE,
                           _("The link has no number"));
      return NULL;
    }
  if (!parse_tel_params (parts + 1, &extension, error))
    return NULL;
  parsed = g_new0 (OhDialUri, 1);
  parsed->target = normalize_number (number, error);
  if (parsed->target == NULL)
    {
      oh_dial_uri_free (parsed);
      return NULL;
    }
  parsed->extension = g_steal_pointer (&extension);
  return parsed;
}

static gboolean
is_host (const char *host,
         gsize       length)
{
  if (length == 0 || length > 253)
    return FALSE;
  for (gsize i = 0; i < length; i++)
    if (!g_ascii_isalnum (host[i]) && strchr ("-.[]:", host[i]) == NULL)
      return FALSE;
  return TRUE;
}

static OhDialUri *
parse_sip (const char  *rest,
           GError     **error)
{
  g_autofree char *uri = g_strndup (rest, strcspn (rest, "?"));
  char *at = strchr (uri, '@');
  g_auto(GStrv) user_parts = NULL;
  g_autofree char *user = NULL;
  g_autofree char *extension = NULL;
  OhDialUri *parsed;

  if (at == NULL)
    {
      /* No host: "sip:101" is taken as a number, nothing else. */
      g_autofree char *number = percent_decode (uri, strcspn (uri, ";"), error);

      if (number == NULL)
        return NULL;
      if (!is_number_text (number))
        {
          g_set_error_literal (error, OH_DIAL_URI_ERROR, OH_DIAL_URI_ERROR_NOT_DIALABLE,
                               _("The link names no one to call"));
          return NULL;
        }
      parsed = g_new0 (OhDialUri, 1);
      parsed->target = normalize_number (number, error);
      if (parsed->target == NULL)
        g_clear_pointer (&parsed, oh_dial_uri_free);
      return parsed;
    }

  *at = '\0';
  {
    const char *host = at + 1;
    gsize host_length = strcspn (host, ";");
    const char *params = host + host_length;

    if (!is_host (host, host_length))
      {
        g_set_error_literal (error, OH_DIAL_URI_ERROR, OH_DIAL_URI_ERROR_SYNTAX,
                             _("The host name of the link is malformed"));
        return NULL;
      }
    /* URI parameters (transport, user, ...) are ignored, but must be there. */
    if (*params == ';' && params[1] == '\0')
      {
        syntax_error (error);
        return NULL;
      }
    if (*params)
      {
        g_auto(GStrv) list = g_strsplit (params + 1, ";", -1);

        for (guint i = 0; list[i]; i++)
          if (!is_param_name (list[i], strcspn (list[i], "=")))
            {
              syntax_error (error);
              return NULL;
            }
      }
  }

  if (strchr (uri, ':'))
    {
      g_set_error_literal (error, OH_DIAL_URI_ERROR, OH_DIAL_URI_ERROR_SYNTAX,
                           _("Links with a password are refused"));
      return NULL;
    }
  if (*uri == '\0')
    {
      g_set_error_literal (error, OH_DIAL_URI_ERROR, OH_DIAL_URI_ERROR_NOT_DIALABLE,
                           _("The link names no one to call"));
      return NULL;
    }
  user_parts = g_strsplit (uri, ";", -1);
  user = percent_decode (user_parts[0], strlen (user_parts[0]), error);
  if (user == NULL)
    return NULL;
  if (user_parts[1] != NULL)
    {
      /* A telephone-subscriber, as in sip:+1555;ext=12@host;user=phone. */
      if (!is_number_text (user))
        {
          syntax_error (error);
          return NULL;
        }
      if (!parse_tel_params (user_parts + 1, &extension, error))
        return NULL;
    }
  parsed = g_new0 (OhDialUri, 1);
  parsed->target = number_or_name (user, error);
  if (parsed->target == NULL)
    {
      oh_dial_uri_free (parsed);
      return NULL;
    }
  parsed->extension = g_steal_pointer (&extension);
  return parsed;
}

static OhDialUri *
parse_callto (const char  *rest,
              GError     **error)
{
  gsize length;
  g_autofree char *decoded = NULL;
  OhDialUri *parsed;

  if (g_str_has_prefix (rest, "//"))
    rest += 2;
  length = strcspn (rest, "?");
  if (length > 0 && rest[length - 1] == '/')
    length--;
  if (memchr (rest, ';', length) || memchr (rest, '/', length))
    {
      g_set_error_literal (error, OH_DIAL_URI_ERROR, OH_DIAL_URI_ERROR_SYNTAX,
                           _("callto: links have no parameters or paths"));
      return NULL;
    }
  decoded = percent_decode (rest, length, error);
  if (decoded == NULL)
    return NULL;
  parsed = g_new0 (OhDialUri, 1);
  parsed->target = number_or_name (decoded, error);
  if (parsed->target == NULL)
    g_clear_pointer (&parsed, oh_dial_uri_free);
  return parsed;
}

static gboolean
is_scheme (const char *text,
           gsize       length)
{
  if (length == 0 || length > 32 || !g_ascii_isalpha (text[0]))
    return FALSE;
  for (gsize i = 1; i < length; i++)
    if (!g_ascii_isalnum (text[i]) && strchr ("+-.", text[i]) == NULL)
      return FALSE;
  return TRUE;
}

/**
 * oh_dial_uri_parse:
 * @uri: a tel:, sip:, sips: or callto: link, as a browser passes it
 * @error: why it is refused, in words for the user
 *
 * Checks a link and reads what to dial out of it. See the top of this file
 * for the rules.
 *
 * Returns: (transfer full): what to dial, or %NULL with @error set
 */
OhDialUri *
oh_dial_uri_parse (const char  *uri,
                   GError     **error)
{
  gsize length = uri ? strlen (uri) : 0;
  const char *colon;
  g_autofree char *scheme = NULL;

  if (length == 0)
    {
      g_set_error_literal (error, OH_DIAL_URI_ERROR, OH_DIAL_URI_ERROR_EMPTY,
                           _("The link is empty"));
      return NULL;
    }
  if (length > OH_DIAL_URI_MAX_LENGTH)
    {
      g_set_error (error, OH_DIAL_URI_ERROR, OH_DIAL_URI_ERROR_TOO_LONG,
                   _("The link is longer than %d bytes"), OH_DIAL_URI_MAX_LENGTH);
      return NULL;
    }
  for (const char *p = uri; *p; p++)
    if ((guchar)*p < 0x20 || *p == 0x7f)
      {
        g_set_error_literal (error, OH_DIAL_URI_ERROR, OH_DIAL_URI_ERROR_CHARACTERS,
                             _("The link contains control characters"));
        return NULL;
      }
  if (!g_utf8_validate (uri, length, NULL))
    {
      g_set_error_literal (error, OH_DIAL_URI_ERROR, OH_DIAL_URI_ERROR_CHARACTERS,
                           _("The link is not valid UTF-8"));
      return NULL;
    }

  colon = strchr (uri, ':');
  if (colon == NULL || !is_scheme (uri, colon - uri))
    {
      g_set_error_literal (error, OH_DIAL_URI_ERROR, OH_DIAL_URI_ERROR_SCHEME,
                           _("This is not a phone link: Offhook calls tel:, sip:, sips: and "
                              "callto: links"));
      return NULL;
    }
  scheme = g_ascii_strdown (uri, colon - uri);
  if (g_str_equal (scheme, "tel"))
    return parse_tel (colon + 1, error);
  if (g_str_equal (scheme, "sip") || g_str_equal (scheme, "sips"))
    return parse_sip (colon + 1, error);
  if (g_str_equal (scheme, "callto"))
    return parse_callto (colon + 1, error);

  g_set_error (error, OH_DIAL_URI_ERROR, OH_DIAL_URI_ERROR_SCHEME,
               _("Offhook does not call “%s:” links, only tel:, sip:, sips: and callto:"),
               scheme);
  return NULL;
}
