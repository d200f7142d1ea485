/* oh-hud-login-view.c: the account form, when not logged in
 *
 * Server, user name, password and (optional) extension go to
 * Account.Login(), which keeps the password in the Secret Service. The
 * password is cleared from the entry once sent and never dumped or
 * logged.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#define G_LOG_DOMAIN "offhook-hud"

#include <glib/gi18n.h>

#include "oh-hud-format.h"
#include "oh-hud-login-view.h"
#include "oh-hud-util.h"

struct _OhHudLoginView
{
  AdwBin        parent_instance;

  OhHudClient  *client;
  GCancellable *cancellable;
  gboolean      busy;
  char         *error;

  GtkWidget    *server;
  GtkWidget    *username;
  GtkWidget    *password;
  GtkWidget    *extension;
  GtkWidget    *message;
  GtkWidget    *login;
  GtkWidget    *spinner;
};

G_DEFINE_FINAL_TYPE (OhHudLoginView, oh_hud_login_view, ADW_TYPE_BIN)

static const char *
text_of (GtkWidget *row)
{
  return gtk_editable_get_text (GTK_EDITABLE (row));
}

static void
render_message (OhHudLoginView *self)
{
  OhDBusAccount *account = oh_hud_client_get_account (self->client);
  const char *state = account ? oh_dbus_account_get_state (account) : NULL;
  const char *last_error = account ? oh_dbus_account_get_last_error (account) : NULL;
  const char *text = NULL;

  if (self->error)
    text = self->error;
  else if ((g_strcmp0 (state, "access-denied") == 0 || g_strcmp0 (state, "failed") == 0) &&
           last_error && *last_error)
    text = last_error;
  gtk_label_set_text (GTK_LABEL (self->message), text ? text : "");
  gtk_widget_set_visible (self->message, text != NULL);
}

static void
update_sensitivity (OhHudLoginView *self)
{
  gboolean complete = *text_of (self->server) && *text_of (self->username) &&
                      *text_of (self->password);

  gtk_widget_set_sensitive (self->login, complete && !self->busy);
  gtk_widget_set_visible (self->spinner, self->busy);
  gtk_spinner_set_spinning (GTK_SPINNER (self->spinner), self->busy);
}

static void
prefill (OhHudLoginView *self)
{
  OhDBusAccount *account = oh_hud_client_get_account (self->client);
  const char *server = account ? oh_dbus_account_get_server (account) : NULL;
  const char *username = account ? oh_dbus_account_get_username (account) : NULL;
  const char *extension = account ? oh_dbus_account_get_extension (account) : NULL;

  if (server && *server && !*text_of (self->server))
    gtk_editable_set_text (GTK_EDITABLE (self->server), server);
  if (username && *username && !*text_of (self->username))
    gtk_editable_set_text (GTK_EDITABLE (self->username), username);
  if (extension && *extension && !*text_of (self->extension))
    gtk_editable_set_text (GTK_EDITABLE (self->extension), extension);
  render_message (self);
}

static void
on_login_done (GObject      *source,
               GAsyncResult *result,
               gpointer      data)
{
  g_autoptr(OhHudLoginView) self = data;
  g_autoptr(GError) error = NULL;

  self->busy = FALSE;
  g_clear_pointer (&self->error, g_free);
  if (!oh_dbus_account_call_login_finish (OH_DBUS_ACCOUNT (source), result, &error))
    {
      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        return;
      self->error = oh_hud_error_message (error);
    }
  else
    gtk_editable_set_text (GTK_EDITABLE (self->password), "");
  render_message (self);
  update_sensitivity (self);
}

static void
log_in (OhHudLoginView *self)
{
  OhDBusAccount *account = oh_hud_client_get_account (self->client);
  g_auto(GVariantBuilder) options = G_VARIANT_BUILDER_INIT (G_VARIANT_TYPE_VARDICT);
  const char *extension = text_of (self->extension);

  update_sensitivity (self);
  if (account == NULL || self->busy || !gtk_widget_get_sensitive (self->login))
    return;
  if (*extension)
    g_variant_builder_add (&options, "{sv}", "extension", g_variant_new_string (extension));
  self->busy = TRUE;
  g_clear_pointer (&self->error, g_free);
  render_message (self);
  update_sensitivity (self);
  oh_dbus_account_call_login (account, text_of (self->server), text_of (self->username),
                              text_of (self->password), g_variant_builder_end (&options),
                              self->cancellable, on_login_done, g_object_ref (self));
}

static void
on_account_changed (OhHudLoginView *self)
{
  prefill (self);
}

static void
on_client_ready (OhHudClient    *client,
                 GParamSpec     *pspec,
                 OhHudLoginView *self)
{
  OhDBusAccount *account = oh_hud_client_get_account (client);

  if (account == NULL || g_object_get_data (G_OBJECT (self), "account") == account)
    return;
  g_object_set_data (G_OBJECT (self), "account", account);
  g_signal_connect_object (account, "notify", G_CALLBACK (on_account_changed), self,
                           G_CONNECT_SWAPPED);
  prefill (self);
}

static void
oh_hud_login_view_dispose (GObject *object)
{
  OhHudLoginView *self = OH_HUD_LOGIN_VIEW (object);

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->client);

  G_OBJECT_CLASS (oh_hud_login_view_parent_class)->dispose (object);
}

static void
oh_hud_login_view_finalize (GObject *object)
{
  OhHudLoginView *self = OH_HUD_LOGIN_VIEW (object);

  g_clear_object (&self->cancellable);
  g_free (self->error);

  G_OBJECT_CLASS (oh_hud_login_view_parent_class)->finalize (object);
}

static void
oh_hud_login_view_class_init (OhHudLoginViewClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = oh_hud_login_view_dispose;
  object_class->finalize = oh_hud_login_view_finalize;
}

static GtkWidget *
entry_row (OhHudLoginView *self,
           GtkWidget      *row,
           const char     *title)
{
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title);
  adw_entry_row_set_activates_default (ADW_ENTRY_ROW (row), FALSE);
  g_signal_connect_swapped (row, "changed", G_CALLBACK (update_sensitivity), self);
  g_signal_connect_swapped (row, "entry-activated", G_CALLBACK (log_in), self);
  return row;
}

static void
oh_hud_login_view_init (OhHudLoginView *self)
{
  GtkWidget *scrolled = gtk_scrolled_window_new ();
  GtkWidget *clamp = adw_clamp_new ();
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 18);
  GtkWidget *icon = gtk_image_new_from_icon_name ("call-start-symbolic");
  GtkWidget *title = gtk_label_new (_("Sign In to Your Phone System"));
  GtkWidget *description = gtk_label_new (
    _("Offhook connects to the Asterisk REST interface of your company’s phone system. "
      "The password is kept in your keyring."));
  GtkWidget *group = adw_preferences_group_new ();
  GtkWidget *buttons = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 12);

  self->cancellable = g_cancellable_new ();

  gtk_image_set_pixel_size (GTK_IMAGE (icon), 64);
  gtk_widget_add_css_class (icon, "dim-label");
  gtk_widget_add_css_class (title, "title-1");
  gtk_label_set_wrap (GTK_LABEL (title), TRUE);
  gtk_label_set_justify (GTK_LABEL (title), GTK_JUSTIFY_CENTER);
  gtk_label_set_wrap (GTK_LABEL (description), TRUE);
  gtk_label_set_justify (GTK_LABEL (description), GTK_JUSTIFY_CENTER);
  gtk_widget_add_css_class (description, "dim-label");

  self->server = entry_row (self, adw_entry_row_new (), _("Server, e.g. https://pbx.example.com:8089"));
  adw_entry_row_set_input_purpose (ADW_ENTRY_ROW (self->server), GTK_INPUT_PURPOSE_URL);
  self->username = entry_row (self, adw_entry_row_new (), _("User name"));
  self->password = entry_row (self, adw_password_entry_row_new (), _("Password"));
  self->extension = entry_row (self, adw_entry_row_new (), _("Your extension (optional)"));
  adw_entry_row_set_input_purpose (ADW_ENTRY_ROW (self->extension), GTK_INPUT_PURPOSE_DIGITS);
  adw_preferences_group_add (ADW_PREFERENCES_GROUP (group), self->server);
  adw_preferences_group_add (ADW_PREFERENCES_GROUP (group), self->username);
  adw_preferences_group_add (ADW_PREFERENCES_GROUP (group), self->password);
  adw_preferences_group_add (ADW_PREFERENCES_GROUP (group), self->extension);

  self->message = gtk_label_new (NULL);
  gtk_label_set_wrap (GTK_LABEL (self->message), TRUE);
  gtk_widget_add_css_class (self->message, "error");
  gtk_widget_set_visible (self->message, FALSE);
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->message), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  _("Sign-in problem"), -1);

  self->spinner = gtk_spinner_new ();
  self->login = gtk_button_new_with_mnemonic (_("_Sign In"));
  gtk_widget_add_css_class (self->login, "suggested-action");
  gtk_widget_add_css_class (self->login, "pill");
  g_signal_connect_swapped (self->login, "clicked", G_CALLBACK (log_in), self);
  gtk_box_append (GTK_BOX (buttons), self->spinner);
  gtk_box_append (GTK_BOX (buttons), self->login);
  gtk_widget_set_halign (buttons, GTK_ALIGN_CENTER);

  gtk_box_append (GTK_BOX (box), icon);
  gtk_box_append (GTK_BOX (box), title);
  gtk_box_append (GTK_BOX (box), description);
  gtk_box_append (GTK_BOX (box), group);
  gtk_box_append (GTK_BOX (box), self->message);
  gtk_box_append (GTK_BOX (box), buttons);
  gtk_widget_set_valign (box, GTK_ALIGN_CENTER);
  gtk_widget_set_margin_top (box, 36);
  gtk_widget_set_margin_bottom (box, 36);
  gtk_widget_set_margin_start (box, 12);
  gtk_widget_set_margin_end (box, 12);
  adw_clamp_set_maximum_size (ADW_CLAMP (clamp), 480);
  adw_clamp_set_child (ADW_CLAMP (clamp), box);
  gtk_scrolled_window_set_child (GTK_SCROLLED_WINDOW (scrolled), clamp);
  gtk_scrolled_window_set_policy (GTK_SCROLLED_WINDOW (scrolled), GTK_POLICY_NEVER,
                                  GTK_POLICY_AUTOMATIC);
  adw_bin_set_child (ADW_BIN (self), scrolled);
  update_sensitivity (self);
}

/**
 * oh_hud_login_view_new:
 * @client: the HUD's client
 *
 * Returns: (transfer floating): the sign-in form
 */
GtkWidget *
oh_hud_login_view_new (OhHudClient *client)
{
  OhHudLoginView *self = g_object_new (OH_TYPE_HUD_LOGIN_VIEW, NULL);

  self->client = g_object_ref (client);
  g_signal_connect_object (client, "notify::ready", G_CALLBACK (on_client_ready), self, 0);
  on_client_ready (client, NULL, self);
  return GTK_WIDGET (self);
}

void
oh_hud_login_view_focus (OhHudLoginView *self)
{
  g_return_if_fail (OH_IS_HUD_LOGIN_VIEW (self));
  gtk_widget_grab_focus (*text_of (self->server) ? self->password : self->server);
}

/**
 * oh_hud_login_view_dump:
 * @builder: inside an object
 *
 * Adds "login": the form, without the password.
 */
void
oh_hud_login_view_dump (OhHudLoginView *self,
                        JsonBuilder    *builder)
{
  json_builder_set_member_name (builder, "login");
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "server");
  json_builder_add_string_value (builder, text_of (self->server));
  json_builder_set_member_name (builder, "username");
  json_builder_add_string_value (builder, text_of (self->username));
  json_builder_set_member_name (builder, "extension");
  json_builder_add_string_value (builder, text_of (self->extension));
  json_builder_set_member_name (builder, "password-set");
  json_builder_add_boolean_value (builder, *text_of (self->password) != '\0');
  json_builder_set_member_name (builder, "message");
  json_builder_add_string_value (builder, gtk_label_get_text (GTK_LABEL (self->message)));
  json_builder_set_member_name (builder, "busy");
  json_builder_add_boolean_value (builder, self->busy);
  json_builder_end_object (builder);
}
