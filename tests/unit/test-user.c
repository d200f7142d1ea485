/* test-user.c: users and how their presence is derived
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "model/oh-user.h"
#include "model/oh-user-list.h"

static const char *
presence (OhUser *user)
{
  return oh_presence_to_string (oh_user_get_presence (user));
}

static void
count_notify (GObject    *object,
              GParamSpec *pspec,
              guint      *count)
{
  (*count)++;
}

static void
test_user_presence_from_endpoint (void)
{
  g_autoptr(OhUser) user = oh_user_new ("PJSIP", "101");

  g_assert_cmpstr (presence (user), ==, "unknown");
  oh_user_set_endpoint_state (user, "offline");
  g_assert_cmpstr (presence (user), ==, "offline");
  oh_user_set_endpoint_state (user, "online");
  g_assert_cmpstr (presence (user), ==, "available");
}

static void
test_user_presence_from_channels (void)
{
  g_autoptr(OhUser) user = oh_user_new ("PJSIP", "102");

  oh_user_set_endpoint_state (user, "online");
  oh_user_update_channel (user, "c1", OH_USER_CHANNEL_RINGING);
  g_assert_cmpstr (presence (user), ==, "ringing");
  oh_user_update_channel (user, "c1", OH_USER_CHANNEL_UP);
  g_assert_cmpstr (presence (user), ==, "busy");
  oh_user_set_channel_held (user, "c1", TRUE);
  g_assert_cmpstr (presence (user), ==, "on-hold");
  oh_user_set_channel_held (user, "c1", FALSE);
  g_assert_cmpstr (presence (user), ==, "busy");
  /* A second call ringing while talking: still busy. */
  oh_user_update_channel (user, "c2", OH_USER_CHANNEL_RINGING);
  g_assert_cmpstr (presence (user), ==, "busy");
  oh_user_remove_channel (user, "c1");
  g_assert_cmpstr (presence (user), ==, "ringing");
  oh_user_remove_channel (user, "c2");
  g_assert_cmpstr (presence (user), ==, "available");
  g_assert_false (oh_user_has_channel (user, "c2"));
}

static void
test_user_presence_from_device_state (void)
{
  g_autoptr(OhUser) user = oh_user_new ("PJSIP", "103");

  oh_user_set_endpoint_state (user, "online");
  oh_user_set_device_state (user, "INUSE");
  g_assert_cmpstr (presence (user), ==, "busy");
  oh_user_set_device_state (user, "RINGING");
  g_assert_cmpstr (presence (user), ==, "ringing");
  /* An ARI hold gives no ChannelHold, only ONHOLD: presence follows it. */
  oh_user_update_channel (user, "c1", OH_USER_CHANNEL_UP);
  oh_user_set_device_state (user, "ONHOLD");
  g_assert_cmpstr (presence (user), ==, "on-hold");
  oh_user_set_device_state (user, "INUSE");
  g_assert_cmpstr (presence (user), ==, "busy");
  oh_user_clear_channels (user);
  oh_user_set_device_state (user, "UNAVAILABLE");
  g_assert_cmpstr (presence (user), ==, "offline");
  oh_user_set_device_state (user, "NOT_INUSE");
  g_assert_cmpstr (presence (user), ==, "available");
}

static void
test_user_devices_and_notify (void)
{
  g_autoptr(OhUser) user = oh_user_new ("PJSIP", "101");
  guint count = 0;
  const char *const two[] = { "sip:a@h", "sip:b@h", NULL };

  g_signal_connect (user, "notify::devices", G_CALLBACK (count_notify), &count);
  oh_user_add_device (user, "sip:a@h");
  oh_user_add_device (user, "sip:a@h");
  g_assert_cmpuint (count, ==, 1);
  oh_user_set_devices (user, two);
  g_assert_cmpuint (count, ==, 2);
  oh_user_set_devices (user, two);
  g_assert_cmpuint (count, ==, 2);
  g_assert_cmpstrv (oh_user_get_devices (user), two);
  oh_user_remove_device (user, "sip:a@h");
  g_assert_cmpstr (oh_user_get_devices (user)[0], ==, "sip:b@h");
  g_assert_null (oh_user_get_devices (user)[1]);
  oh_user_remove_device (user, "sip:zzz");
  g_assert_cmpuint (count, ==, 3);
}

static void
test_user_extension_defaults_to_resource (void)
{
  g_autoptr(OhUser) user = oh_user_new ("PJSIP", "alice");
  guint count = 0;

  g_signal_connect (user, "notify::extension", G_CALLBACK (count_notify), &count);
  g_assert_cmpstr (oh_user_get_extension (user), ==, "alice");
  oh_user_set_extension (user, "alice");
  g_assert_cmpuint (count, ==, 0);
  oh_user_set_extension (user, "200");
  g_assert_cmpstr (oh_user_get_extension (user), ==, "200");
  g_assert_cmpuint (count, ==, 1);
  oh_user_set_extension (user, "");
  g_assert_cmpstr (oh_user_get_extension (user), ==, "alice");
  g_assert_cmpuint (count, ==, 2);
}

static void
on_added (OhUserList *list, OhUser *user, GPtrArray *log)
{
  g_ptr_array_add (log, g_strdup_printf ("+%s", oh_user_get_id (user)));
}

static void
on_removed (OhUserList *list, OhUser *user, GPtrArray *log)
{
  g_ptr_array_add (log, g_strdup_printf ("-%s", oh_user_get_id (user)));
}

static void
test_user_list (void)
{
  g_autoptr(OhUserList) list = oh_user_list_new ();
  g_autoptr(GPtrArray) log = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(OhUser) a = oh_user_new ("PJSIP", "101");
  g_autoptr(OhUser) b = oh_user_new ("PJSIP", "102");

  g_signal_connect (list, "user-added", G_CALLBACK (on_added), log);
  g_signal_connect (list, "user-removed", G_CALLBACK (on_removed), log);
  oh_user_set_full_name (a, "Bob Brown");
  oh_user_set_full_name (b, "Carol Chen");
  oh_user_set_extension (b, "202");
  oh_user_list_add (list, a);
  oh_user_list_add (list, b);
  g_assert_cmpuint (oh_user_list_get_n_users (list), ==, 2);
  g_assert_true (oh_user_list_lookup (list, "101") == a);
  g_assert_true (oh_user_list_lookup_extension (list, "202") == b);
  g_assert_null (oh_user_list_lookup_extension (list, "102"));
  g_assert_true (oh_user_list_lookup_name (list, "carol chen") == b);
  g_assert_null (oh_user_list_lookup_name (list, "Nobody"));
  g_assert_true (oh_user_list_remove (list, "101"));
  g_assert_false (oh_user_list_remove (list, "101"));
  oh_user_list_remove_all (list);
  g_assert_cmpuint (oh_user_list_get_n_users (list), ==, 0);
  g_assert_cmpuint (log->len, ==, 4);
  g_assert_cmpstr (g_ptr_array_index (log, 0), ==, "+101");
  g_assert_cmpstr (g_ptr_array_index (log, 2), ==, "-101");
  g_assert_cmpstr (g_ptr_array_index (log, 3), ==, "-102");
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/user/presence/endpoint", test_user_presence_from_endpoint);
  g_test_add_func ("/user/presence/channels", test_user_presence_from_channels);
  g_test_add_func ("/user/presence/device-state", test_user_presence_from_device_state);
  g_test_add_func ("/user/devices", test_user_devices_and_notify);
  g_test_add_func ("/user/extension", test_user_extension_defaults_to_resource);
  g_test_add_func ("/user/list", test_user_list);

  return g_test_run ();
}
