/* test-account.c: the account model
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include <gio/gio.h>

#include "model/oh-account.h"
#include "oh-error.h"

static void
count_notify (GObject    *object,
              GParamSpec *pspec,
              guint      *count)
{
  (*count)++;
}

static void
test_account_defaults (void)
{
  g_autoptr(OhAccount) account = oh_account_new ();
  g_autofree char *state = NULL;

  g_assert_cmpint (oh_account_get_state (account), ==, OH_ACCOUNT_STATE_DISCONNECTED);
  g_object_get (account, "state", &state, NULL);
  g_assert_cmpstr (state, ==, "disconnected");
  g_assert_cmpstr (oh_account_get_server (account), ==, "");
  g_assert_cmpint (oh_account_get_retry_time (account), ==, 0);
}

static void
test_account_notifies_only_changes (void)
{
  g_autoptr(OhAccount) account = oh_account_new ();
  guint count = 0;

  g_signal_connect (account, "notify", G_CALLBACK (count_notify), &count);

  oh_account_set_server (account, "https://pbx.example.com:8089");
  oh_account_set_server (account, "https://pbx.example.com:8089");
  g_assert_cmpuint (count, ==, 1);
  g_assert_cmpstr (oh_account_get_server (account), ==, "https://pbx.example.com:8089");

  oh_account_set_state (account, OH_ACCOUNT_STATE_CONNECTING);
  oh_account_set_state (account, OH_ACCOUNT_STATE_CONNECTING);
  g_assert_cmpuint (count, ==, 2);

  oh_account_set_retry_time (account, 42);
  oh_account_set_retry_time (account, 42);
  g_assert_cmpuint (count, ==, 3);

  oh_account_set_server (account, NULL);
  g_assert_cmpuint (count, ==, 4);
  g_assert_cmpstr (oh_account_get_server (account), ==, "");
}

static void
test_account_state_names (void)
{
  g_assert_cmpstr (oh_account_state_to_string (OH_ACCOUNT_STATE_DISCONNECTED), ==, "disconnected");
  g_assert_cmpstr (oh_account_state_to_string (OH_ACCOUNT_STATE_CONNECTING), ==, "connecting");
  g_assert_cmpstr (oh_account_state_to_string (OH_ACCOUNT_STATE_CONNECTED), ==, "connected");
  g_assert_cmpstr (oh_account_state_to_string (OH_ACCOUNT_STATE_ACCESS_DENIED), ==, "access-denied");
  g_assert_cmpstr (oh_account_state_to_string (OH_ACCOUNT_STATE_FAILED), ==, "failed");
}

static void
test_error_names (void)
{
  g_autoptr(GError) error = g_error_new_literal (OH_ERROR, OH_ERROR_INVALID_ARGUMENT, "bad");
  g_autofree char *name = g_dbus_error_encode_gerror (error);
  g_autoptr(GError) back = NULL;

  g_assert_cmpstr (name, ==, "org.offhook.Offhook1.Error.InvalidArgument");

  back = g_dbus_error_new_for_dbus_error ("org.offhook.Offhook1.Error.NotConnected", "nope");
  g_assert_error (back, OH_ERROR, OH_ERROR_NOT_CONNECTED);
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/account/defaults", test_account_defaults);
  g_test_add_func ("/account/notifies-only-changes", test_account_notifies_only_changes);
  g_test_add_func ("/account/state-names", test_account_state_names);
  g_test_add_func ("/error/names", test_error_names);

  return g_test_run ();
}
