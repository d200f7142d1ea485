/* fuzz-options.c: the a{sv} options and strings D-Bus clients send
 *
 * The input is read two ways:
 *  - as a serialized GVariant of type a{sv}, brought to normal form as
 *    GDBus would deliver it (GDBus checks strings and object paths on the
 *    way in), and given to every parser of such options: Login's
 *    (oh_settings_apply_options()), History.Query's filter
 *    (oh_history_filter_from_variant() + _validate()), Chat.Conversation's
 *    (oh_conversation_options_from_variant()) and Phone.Dial's
 *    (oh_call_manager_dial_async(), not connected, so nothing is dialled);
 *  - as a string (up to its first NUL) for the server and user name checks
 *    of Login, and as the number given to Phone.Dial.
 * What the checks accept must be safe where it goes: an extension or an
 * application name ends up in ARI paths and dial plan locations, a server
 * address becomes the base of every request.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include <string.h>

#include "oh-account.h"
#include "oh-ari-client.h"
#include "oh-call-manager.h"
#include "oh-error.h"
#include "oh-fuzz.h"
#include "oh-history-entry.h"
#include "oh-pbx.h"
#include "oh-session-list.h"
#include "oh-settings.h"
#include "oh-stored-message.h"
#include "oh-user-list.h"

/* A call manager with no PBX connection: Dial checks its arguments, then
 * fails with NotConnected. */
static OhCallManager *call_manager;

int
LLVMFuzzerInitialize (int *argc, char ***argv)
{
  g_autoptr (OhAccount) account = NULL;
  g_autoptr (OhUserList) users = NULL;
  g_autoptr (OhSessionList) sessions = NULL;
  g_autoptr (OhPbx) pbx = NULL;

  oh_fuzz_init ();
  account = oh_account_new ();
  users = oh_user_list_new ();
  sessions = oh_session_list_new ();
  pbx = oh_pbx_new (account, users, sessions);
  call_manager = oh_call_manager_new (pbx, account, users);
  return 0;
}

/* Letters, digits, '-', '_', '.'; at most 64: what check_token() promises. */
static void
check_token (const char *what, const char *value)
{
  if (value == NULL)
    return;
  if (*value == '\0' || strlen (value) > 64)
    OH_FUZZ_FAIL ("%s accepted with length %zu", what, strlen (value));
  for (const char *p = value; *p != '\0'; p++)
    if (!g_ascii_isalnum (*p) && strchr ("-_.", *p) == NULL)
      OH_FUZZ_FAIL ("%s accepted with character 0x%02x", what, (guchar)*p);
}

static void
check_no_controls (const char *what, const char *value)
{
  oh_fuzz_check_string (what, value);
  for (const char *p = value; *p != '\0'; p++)
    if ((guchar)*p < 0x20 || *p == 0x7f)
      OH_FUZZ_FAIL ("%s accepted with control character 0x%02x", what, (guchar)*p);
}

static void
fuzz_login_options (GVariant *options)
{
  g_autoptr (OhSettings) settings = oh_settings_new ();
  g_autoptr (GError) error = NULL;

  if (!oh_settings_apply_options (settings, options, &error))
    {
      oh_fuzz_check_error (error, OH_ERROR);
      return;
    }
  check_token ("extension", settings->extension);
  check_token ("application", settings->application);
  if (settings->directory != NULL)
    {
      check_no_controls ("directory", settings->directory);
      if (strlen (settings->directory) > 256)
        OH_FUZZ_FAIL ("directory accepted with length %zu", strlen (settings->directory));
    }
  if (settings->tls_verify != TRUE && settings->tls_verify != FALSE)
    OH_FUZZ_FAIL ("tls_verify is %d", settings->tls_verify);
}

static void
fuzz_history_filter (GVariant *filter, guint rows)
{
  g_autoptr (OhHistoryFilter) decoded = NULL;
  g_autoptr (GError) error = NULL;

  /* It takes a floating reference; ours is not floating, so it only adds
   * one of its own. */
  decoded = oh_history_filter_from_variant (filter, &error);
  if (decoded == NULL)
    {
      oh_fuzz_check_error (error, OH_ERROR);
      return;
    }
  if (!oh_history_filter_validate (decoded, rows, &error))
    {
      oh_fuzz_check_error (error, OH_ERROR);
      return;
    }
  oh_fuzz_check_utf8 ("filter text", decoded->text);
  oh_fuzz_check_utf8 ("filter extension", decoded->extension);
  if (decoded->since < 0 || decoded->until < 0)
    OH_FUZZ_FAIL ("negative time accepted");
  if (decoded->until != 0 && decoded->since > decoded->until)
    OH_FUZZ_FAIL ("since after until accepted");
}

static void
fuzz_conversation_options (GVariant *options)
{
  g_autoptr (GError) error = NULL;
  g_autofree char *before_id = NULL;
  gint64 before = -1;
  guint limit = 0;

  if (!oh_conversation_options_from_variant (options, &before, &before_id, &limit, &error))
    {
      oh_fuzz_check_error (error, OH_ERROR);
      return;
    }
  if (limit < 1 || limit > OH_CONVERSATION_MAX_LIMIT)
    OH_FUZZ_FAIL ("conversation limit %u accepted", limit);
  oh_fuzz_check_utf8 ("before-id", before_id);
}

static void
on_dialled (GObject *source, GAsyncResult *result, gpointer user_data)
{
  GError **error = user_data;
  g_autoptr (OhCall) call = oh_call_manager_dial_finish (OH_CALL_MANAGER (source), result, error);

  if (call != NULL)
    OH_FUZZ_FAIL ("dialled without a PBX");
  if (*error == NULL)
    *error = g_error_new_literal (OH_ERROR, OH_ERROR_FAILED, "(no error)");
}

static void
fuzz_dial (const char *number, GVariant *options)
{
  g_autoptr (GError) error = NULL;

  oh_call_manager_dial_async (call_manager, number, options, NULL, on_dialled, &error);
  while (error == NULL)
    g_main_context_iteration (NULL, TRUE);
  oh_fuzz_check_error (error, OH_ERROR);
}

static void
fuzz_server (const char *server)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (OhAriClient) client = NULL;
  const char *base_url;

  if (!oh_settings_check_server (server, &error))
    {
      oh_fuzz_check_error (error, OH_ERROR);
      return;
    }
  check_no_controls ("server", server);

  /* Whatever Login accepts, the client must be able to use. */
  client = oh_ari_client_new (server, "user", "password", "offhook-user", TRUE);
  base_url = oh_ari_client_get_base_url (client);
  if (!g_str_has_prefix (base_url, "http://") && !g_str_has_prefix (base_url, "https://"))
    OH_FUZZ_FAIL ("server \"%s\" accepted, but the client makes it \"%s\"", server, base_url);
  if (strchr (base_url, '@') != NULL)
    OH_FUZZ_FAIL ("server \"%s\": user info left in \"%s\"", server, base_url);
}

static void
fuzz_username (const char *username)
{
  g_autoptr (GError) error = NULL;
  g_autofree char *application = NULL;

  if (!oh_settings_check_username (username, &error))
    {
      oh_fuzz_check_error (error, OH_ERROR);
      return;
    }
  check_no_controls ("user name", username);
  /* Basic auth joins user and password with ':'. */
  if (strchr (username, ':') != NULL)
    OH_FUZZ_FAIL ("user name with ':' accepted");

  application = oh_settings_default_application (username);
  if (!g_str_has_prefix (application, "offhook-"))
    OH_FUZZ_FAIL ("default application \"%s\"", application);
  for (const char *p = application; *p != '\0'; p++)
    if (!g_ascii_isalnum (*p) && strchr ("-_", *p) == NULL)
      OH_FUZZ_FAIL ("default application with character 0x%02x", (guchar)*p);
}

int
LLVMFuzzerTestOneInput (const uint8_t *bytes, size_t size)
{
  g_autoptr (GBytes) data = g_bytes_new (bytes, size);
  g_autoptr (GVariant) untrusted = NULL;
  g_autoptr (GVariant) options = NULL;
  g_autofree char *text = g_strndup ((const char *)bytes, size);

  untrusted = g_variant_ref_sink (g_variant_new_from_bytes (G_VARIANT_TYPE_VARDICT, data, FALSE));
  /* (transfer full), not floating */
  options = g_variant_get_normal_form (untrusted);
  if (!g_variant_is_normal_form (options))
    OH_FUZZ_FAIL ("g_variant_get_normal_form() gave a value not in normal form");

  fuzz_login_options (options);
  fuzz_history_filter (options, size > 0 ? bytes[0] * 8u : 0);
  fuzz_conversation_options (options);

  /* D-Bus strings are UTF-8 (GDBus rejects a message otherwise), and so
   * are GKeyFile's, the other way these reach the checks. */
  if (g_utf8_validate (text, -1, NULL))
    {
      fuzz_server (text);
      fuzz_username (text);
      fuzz_dial (text, options);
    }
  (void)oh_settings_check_name ("name", text, NULL);
  return 0;
}
