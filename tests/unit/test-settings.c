/* test-settings.c: the account settings and the company directory
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include <sys/stat.h>
#include <glib/gstdio.h>
#include <gio/gio.h>

#include "oh-directory.h"
#include "oh-error.h"
#include "oh-settings.h"

static void
test_settings_server_validation (void)
{
  const char *good[] = { "http://127.0.0.1:8088", "https://pbx.example.com:8089",
                         "https://pbx.example.com/", "http://[::1]:8088" };
  const char *bad[] = { "", "ftp://pbx", "pbx.example.com", "https://user:pw@pbx",
                        "https://pbx/ari", "https://pbx?x=1", "https://pbx#f", "http://",
                        "https://pb\nx", "javascript:alert(1)" };

  for (guint i = 0; i < G_N_ELEMENTS (good); i++)
    {
      g_autoptr(GError) error = NULL;

      g_assert_true (oh_settings_check_server (good[i], &error));
      g_assert_no_error (error);
    }
  for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      g_autoptr(GError) error = NULL;

      g_assert_false (oh_settings_check_server (bad[i], &error));
      g_assert_error (error, OH_ERROR, OH_ERROR_INVALID_ARGUMENT);
    }
  g_assert_false (oh_settings_check_server (NULL, NULL));
}

static void
test_settings_options (void)
{
  g_autoptr(OhSettings) settings = oh_settings_new ();
  g_autoptr(GError) error = NULL;
  GVariantDict dict;

  g_variant_dict_init (&dict, NULL);
  g_variant_dict_insert (&dict, "extension", "s", "100");
  g_variant_dict_insert (&dict, "tls-verify", "b", FALSE);
  g_variant_dict_insert (&dict, "application", "s", "my-app");
  g_assert_true (oh_settings_apply_options (settings, g_variant_dict_end (&dict), &error));
  g_assert_no_error (error);
  g_assert_cmpstr (settings->extension, ==, "100");
  g_assert_cmpstr (settings->application, ==, "my-app");
  g_assert_false (settings->tls_verify);

  g_variant_dict_init (&dict, NULL);
  g_variant_dict_insert (&dict, "no-such-key", "s", "x");
  g_assert_false (oh_settings_apply_options (settings, g_variant_dict_end (&dict), &error));
  g_assert_error (error, OH_ERROR, OH_ERROR_INVALID_ARGUMENT);
  g_assert_nonnull (strstr (error->message, "no-such-key"));
  g_clear_error (&error);

  g_variant_dict_init (&dict, NULL);
  g_variant_dict_insert (&dict, "tls-verify", "s", "yes");
  g_assert_false (oh_settings_apply_options (settings, g_variant_dict_end (&dict), &error));
  g_assert_error (error, OH_ERROR, OH_ERROR_INVALID_ARGUMENT);
  g_clear_error (&error);

  g_variant_dict_init (&dict, NULL);
  g_variant_dict_insert (&dict, "extension", "s", "100&PJSIP/200");
  g_assert_false (oh_settings_apply_options (settings, g_variant_dict_end (&dict), &error));
  g_assert_error (error, OH_ERROR, OH_ERROR_INVALID_ARGUMENT);
  g_clear_error (&error);

  g_variant_dict_init (&dict, NULL);
  g_variant_dict_insert (&dict, "application", "s", "app?x=1");
  g_assert_false (oh_settings_apply_options (settings, g_variant_dict_end (&dict), &error));
  g_assert_error (error, OH_ERROR, OH_ERROR_INVALID_ARGUMENT);
}

static void
test_settings_round_trip (void)
{
  g_autofree char *dir = g_dir_make_tmp ("offhook-settings-XXXXXX", NULL);
  g_autofree char *path = g_build_filename (dir, "sub", "account.conf", NULL);
  g_autoptr(OhSettings) settings = oh_settings_new ();
  g_autoptr(OhSettings) loaded = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *contents = NULL;
  struct stat st;

  g_assert_null (oh_settings_load (path, &error));
  g_assert_no_error (error);

  settings->server = g_strdup ("https://pbx.example.com:8089");
  settings->username = g_strdup ("alice");
  settings->extension = g_strdup ("100");
  settings->application = oh_settings_default_application ("alice");
  settings->tls_verify = FALSE;
  g_assert_true (oh_settings_save (settings, path, &error));
  g_assert_no_error (error);
  g_assert_cmpint (g_stat (path, &st), ==, 0);
  g_assert_cmpint (st.st_mode & 0777, ==, 0600);

  loaded = oh_settings_load (path, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (loaded->server, ==, settings->server);
  g_assert_cmpstr (loaded->username, ==, "alice");
  g_assert_cmpstr (loaded->extension, ==, "100");
  g_assert_cmpstr (loaded->application, ==, "offhook-alice");
  g_assert_false (loaded->tls_verify);

  g_assert_true (g_file_get_contents (path, &contents, NULL, NULL));
  g_assert_null (strstr (contents, "assword"));

  g_assert_true (oh_settings_delete (path, &error));
  g_assert_true (oh_settings_delete (path, &error));
  g_assert_no_error (error);
  g_assert_null (oh_settings_load (path, &error));

  /* A file with a broken server is an error, not a silent default. */
  g_assert_true (g_file_set_contents (path, "[Account]\nServer=ftp://x\nUsername=a\n", -1, NULL));
  g_assert_null (oh_settings_load (path, &error));
  g_assert_error (error, OH_ERROR, OH_ERROR_FAILED);
  g_unlink (path);
  g_autofree char *sub = g_path_get_dirname (path);
  g_rmdir (sub);
  g_rmdir (dir);
}

static void
test_settings_default_application (void)
{
  g_autofree char *a = oh_settings_default_application ("alice");
  g_autofree char *b = oh_settings_default_application ("a b/c");

  g_assert_cmpstr (a, ==, "offhook-alice");
  g_assert_cmpstr (b, ==, "offhook-a_b_c");
}

static const char vcards[] =
  "BEGIN:VCARD\r\n"
  "VERSION:4.0\r\n"
  "FN:Bob Brown\r\n"
  "TEL;TYPE=x-extension:101\r\n"
  "TEL;TYPE=\"cell,voice\";VALUE=uri:tel:+1-555-0101\r\n"
  "EMAIL;TYPE=work:bob@example.com\r\n"
  "END:VCARD\r\n"
  "BEGIN:VCARD\n"
  "VERSION:3.0\n"
  "FN:Carol\n"
  "  Chen\n"
  "item1.TEL;TYPE=CELL:+15550102\n"
  "EMAIL:carol\\,c@example.com\n"
  "END:VCARD\n";

static void
test_directory_vcard (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(OhDirectory) dir = oh_directory_parse (vcards, strlen (vcards), &error);
  const OhDirectoryEntry *bob, *carol;

  g_assert_no_error (error);
  g_assert_cmpuint (oh_directory_get_size (dir), ==, 2);
  bob = oh_directory_lookup (dir, "101", NULL);
  g_assert_nonnull (bob);
  g_assert_cmpstr (bob->mobile, ==, "+1-555-0101");
  g_assert_cmpstr (bob->email, ==, "bob@example.com");
  /* Carol has no extension: found by name, case-insensitively. */
  carol = oh_directory_lookup (dir, "102", "CAROL CHEN");
  g_assert_nonnull (carol);
  g_assert_cmpstr (carol->name, ==, "Carol Chen");
  g_assert_cmpstr (carol->mobile, ==, "+15550102");
  g_assert_cmpstr (carol->email, ==, "carol,c@example.com");
  /* Bob's name must not give his entry to another extension. */
  g_assert_null (oh_directory_lookup (dir, "999", "Bob Brown"));
}

static void
test_directory_csv (void)
{
  const char csv[] =
    "\xEF\xBB\xBF" "Name,Extension,Mobile,Email,Department\n"
    "\"Brown, Bob\",101,+15550101,bob@example.com,Sales\r\n"
    "\"Dave \"\"D\"\" Diaz\",103,,dave@example.com,\n"
    "Eve,104\n";
  g_autoptr(GError) error = NULL;
  g_autoptr(OhDirectory) dir = oh_directory_parse (csv, strlen (csv), &error);
  const OhDirectoryEntry *entry;

  g_assert_no_error (error);
  g_assert_cmpuint (oh_directory_get_size (dir), ==, 3);
  entry = oh_directory_lookup (dir, "101", NULL);
  g_assert_cmpstr (entry->name, ==, "Brown, Bob");
  g_assert_cmpstr (entry->mobile, ==, "+15550101");
  entry = oh_directory_lookup (dir, "103", NULL);
  g_assert_cmpstr (entry->name, ==, "Dave \"D\" Diaz");
  g_assert_null (entry->mobile);
  entry = oh_directory_lookup (dir, "104", NULL);
  g_assert_null (entry->email);
}

static void
test_directory_bad (void)
{
  const char *bad[] = {
    "Department,Floor\nSales,1\n",
    "name,extension\n\"unterminated,101\n",
    "BEGIN:VCARD\nFN:No end\n",
  };

  for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      g_autoptr(GError) error = NULL;

      g_assert_null (oh_directory_parse (bad[i], strlen (bad[i]), &error));
      g_assert_error (error, OH_ERROR, OH_ERROR_INVALID_ARGUMENT);
    }
  {
    g_autoptr(GError) error = NULL;
    const char binary[] = "name,extension\n\xff\xfe,1\n";

    g_assert_null (oh_directory_parse (binary, sizeof binary - 1, &error));
    g_assert_error (error, OH_ERROR, OH_ERROR_INVALID_ARGUMENT);
  }
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/settings/server", test_settings_server_validation);
  g_test_add_func ("/settings/options", test_settings_options);
  g_test_add_func ("/settings/round-trip", test_settings_round_trip);
  g_test_add_func ("/settings/default-application", test_settings_default_application);
  g_test_add_func ("/directory/vcard", test_directory_vcard);
  g_test_add_func ("/directory/csv", test_directory_csv);
  g_test_add_func ("/directory/bad", test_directory_bad);

  return g_test_run ();
}
