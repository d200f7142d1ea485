/* oh-hud-user-row.c: one user with presence, sessions and actions
 *
 * Shows a User object as it is now: name, extension, the presence dot,
 * one pill per session the user takes part in (with the talk time
 * counting from the session's AnswerTime) and buttons for call, call
 * mobile and message, which activate the application's actions with the
 * user as target. Everything it shows is remembered, for dump-state.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#define G_LOG_DOMAIN "offhook-hud"

#include <glib/gi18n.h>

#include "oh-hud-format.h"
#include "oh-hud-user-row.h"
#include "oh-hud-util.h"

struct _OhHudUserRow
{
  AdwActionRow  parent_instance;

  OhHudClient  *client;
  OhDBusUser   *user;
  GPtrArray    *sessions;      /* OhDBusSession we show and watch */

  GtkWidget    *avatar;
  GtkWidget    *dot;
  GtkWidget    *sessions_box;
  GtkWidget    *call_button;
  GtkWidget    *mobile_button;
  GtkWidget    *message_button;

  char         *shown_presence;
  gboolean      is_self;
  gulong        tick_id;
};

G_DEFINE_FINAL_TYPE (OhHudUserRow, oh_hud_user_row, ADW_TYPE_ACTION_ROW)

static const char *
nonnull (const char *s)
{
  return s ? s : "";
}

/* How one session looks from this user's side. */
static char *
session_text (OhDBusSession *session,
              const char    *extension,
              gint64         now)
{
  const char *state = oh_dbus_session_get_state (session);
  gboolean calling = g_strcmp0 (oh_dbus_session_get_caller (session), extension) == 0;
  g_autofree char *other = NULL;
  g_autofree char *talk = NULL;

  if (calling)
    other = oh_hud_party (oh_dbus_session_get_callee_name (session),
                          oh_dbus_session_get_callee (session));
  else
    other = oh_hud_party (oh_dbus_session_get_caller_name (session),
                          oh_dbus_session_get_caller (session));
  talk = oh_hud_format_elapsed (oh_dbus_session_get_answer_time (session), now);

  if (g_strcmp0 (state, "in-call") == 0)
    /* TRANSLATORS: a user's call: "With Bob Brown (101) · 1:23" */
    return g_strdup_printf (_("With %s · %s"), other, talk);
  if (g_strcmp0 (state, "on-hold") == 0)
    return g_strdup_printf (_("On hold with %s · %s"), other, talk);
  if (g_strcmp0 (state, "ringing") == 0 && !calling)
    return g_strdup_printf (_("Call from %s"), other);
  if (g_strcmp0 (state, "completed") == 0)
    return g_strdup_printf (_("Ended with %s"), other);
  return g_strdup_printf (_("Calling %s"), other);
}

static void
unwatch_sessions (OhHudUserRow *self)
{
  for (guint i = 0; i < self->sessions->len; i++)
    g_signal_handlers_disconnect_by_data (g_ptr_array_index (self->sessions, i), self);
  g_ptr_array_set_size (self->sessions, 0);
}

static void render_sessions (OhHudUserRow *self);

static void
on_session_changed (GObject      *session,
                    GParamSpec   *pspec,
                    OhHudUserRow *self)
{
  render_sessions (self);
}

/* Only the talk times change: new texts for the same pills. */
static void
on_tick (OhHudClient  *client,
         OhHudUserRow *self)
{
  const char *extension = oh_dbus_user_get_extension (self->user);
  gint64 now = g_get_real_time ();
  GtkWidget *pill = gtk_widget_get_first_child (self->sessions_box);

  for (guint i = 0; i < self->sessions->len && pill; i++, pill = gtk_widget_get_next_sibling (pill))
    {
      g_autofree char *text = session_text (g_ptr_array_index (self->sessions, i), extension, now);

      gtk_label_set_text (GTK_LABEL (pill), text);
    }
}

static void
render_sessions (OhHudUserRow *self)
{
  const char *const *paths = oh_dbus_user_get_sessions (self->user);
  const char *extension = oh_dbus_user_get_extension (self->user);
  gint64 now = g_get_real_time ();
  gboolean answered = FALSE;
  GtkWidget *child;

  unwatch_sessions (self);
  while ((child = gtk_widget_get_first_child (self->sessions_box)) != NULL)
    gtk_box_remove (GTK_BOX (self->sessions_box), child);

  for (guint i = 0; paths && paths[i]; i++)
    {
      OhDBusSession *session = oh_hud_client_lookup_session (self->client, paths[i]);
      g_autofree char *text = NULL;
      GtkWidget *pill;

      /* The session object may arrive after the user's property. */
      if (session == NULL)
        continue;
      g_ptr_array_add (self->sessions, g_object_ref (session));
      g_signal_connect_object (session, "notify", G_CALLBACK (on_session_changed), self, 0);
      answered |= oh_dbus_session_get_answer_time (session) > 0;
      text = session_text (session, extension, now);
      pill = gtk_label_new (text);
      gtk_label_set_ellipsize (GTK_LABEL (pill), PANGO_ELLIPSIZE_END);
      gtk_label_set_max_width_chars (GTK_LABEL (pill), 40);
      gtk_widget_add_css_class (pill, "session-pill");
      gtk_widget_add_css_class (pill, "numeric");
      oh_hud_set_css_state (pill, "state-", oh_dbus_session_get_state (session));
      gtk_widget_set_valign (pill, GTK_ALIGN_CENTER);
      gtk_box_append (GTK_BOX (self->sessions_box), pill);
    }
  gtk_widget_set_visible (self->sessions_box, self->sessions->len > 0);

  /* Tick only while a talk time shows. */
  if (answered && self->tick_id == 0)
    self->tick_id = g_signal_connect (self->client, "tick", G_CALLBACK (on_tick), self);
  else if (!answered && self->tick_id != 0)
    g_clear_signal_handler (&self->tick_id, self->client);
}

static void
render (OhHudUserRow *self)
{
  const char *name = oh_dbus_user_get_full_name (self->user);
  const char *username = oh_dbus_user_get_username (self->user);
  const char *extension = oh_dbus_user_get_extension (self->user);
  const char *mobile = oh_dbus_user_get_mobile (self->user);
  const char *presence = oh_dbus_user_get_presence (self->user);
  const char *own = oh_hud_client_get_own_extension (self->client);
  const char *title = name && *name ? name : nonnull (username);
  g_autofree char *subtitle = NULL;
  g_autofree char *mobile_label = NULL;

  self->is_self = own && g_strcmp0 (own, extension) == 0;
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (self), title);
  adw_avatar_set_text (ADW_AVATAR (self->avatar), title);
  if (self->is_self)
    /* TRANSLATORS: "Ext. 100 · Available · You" */
    subtitle = g_strdup_printf (_("Ext. %s · %s · You"), nonnull (extension),
                                oh_hud_presence_label (presence));
  else
    /* TRANSLATORS: "Ext. 101 · Available" */
    subtitle = g_strdup_printf (_("Ext. %s · %s"), nonnull (extension),
                                oh_hud_presence_label (presence));
  adw_action_row_set_subtitle (ADW_ACTION_ROW (self), subtitle);

  g_free (self->shown_presence);
  self->shown_presence = g_strdup (nonnull (presence));
  oh_hud_presence_dot_set (self->dot, presence);

  gtk_widget_set_visible (self->call_button, !self->is_self);
  gtk_widget_set_visible (self->message_button, !self->is_self);
  gtk_widget_set_visible (self->mobile_button, mobile && *mobile);
  if (mobile && *mobile)
    {
      mobile_label = g_strdup_printf (_("Call %s’s mobile, %s"), title, mobile);
      oh_hud_set_tooltip_label (self->mobile_button, mobile_label);
    }
  {
    g_autofree char *call_label = g_strdup_printf (_("Call %s"), title);
    g_autofree char *message_label = g_strdup_printf (_("Write to %s"), title);

    oh_hud_set_tooltip_label (self->call_button, call_label);
    oh_hud_set_tooltip_label (self->message_button, message_label);
  }
  gtk_actionable_set_action_target (GTK_ACTIONABLE (self->message_button), "s",
                                    nonnull (extension));
}

static void
on_user_changed (OhDBusUser   *user,
                 GParamSpec   *pspec,
                 OhHudUserRow *self)
{
  if (g_str_equal (pspec->name, "sessions"))
    render_sessions (self);
  else
    render (self);
}

static void
on_sessions_changed (GListModel   *sessions,
                     guint         position,
                     guint         removed,
                     guint         added,
                     OhHudUserRow *self)
{
  const char *const *paths = oh_dbus_user_get_sessions (self->user);

  if ((paths && paths[0]) || self->sessions->len > 0)
    render_sessions (self);
}

static void
on_account_changed (GObject      *account,
                    GParamSpec   *pspec,
                    OhHudUserRow *self)
{
  render (self);
}

/* Rows made before the account proxy was ready learn the own extension here. */
static void
on_client_ready (OhHudClient  *client,
                 GParamSpec   *pspec,
                 OhHudUserRow *self)
{
  OhDBusAccount *account = oh_hud_client_get_account (client);

  if (account == NULL || g_object_get_data (G_OBJECT (self), "account") == account)
    return;
  g_object_set_data (G_OBJECT (self), "account", account);
  g_signal_connect_object (account, "notify::extension", G_CALLBACK (on_account_changed), self, 0);
  if (pspec)
    render (self);
}

static void
oh_hud_user_row_dispose (GObject *object)
{
  OhHudUserRow *self = OH_HUD_USER_ROW (object);

  if (self->sessions)
    unwatch_sessions (self);
  if (self->client)
    g_clear_signal_handler (&self->tick_id, self->client);
  g_clear_object (&self->user);
  g_clear_object (&self->client);

  G_OBJECT_CLASS (oh_hud_user_row_parent_class)->dispose (object);
}

static void
oh_hud_user_row_finalize (GObject *object)
{
  OhHudUserRow *self = OH_HUD_USER_ROW (object);

  g_clear_pointer (&self->sessions, g_ptr_array_unref);
  g_free (self->shown_presence);

  G_OBJECT_CLASS (oh_hud_user_row_parent_class)->finalize (object);
}

static void
oh_hud_user_row_class_init (OhHudUserRowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = oh_hud_user_row_dispose;
  object_class->finalize = oh_hud_user_row_finalize;
}

static void
oh_hud_user_row_init (OhHudUserRow *self)
{
  GtkWidget *overlay = gtk_overlay_new ();
  GtkWidget *buttons = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 0);

  self->sessions = g_ptr_array_new_with_free_func (g_object_unref);
  adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (self), FALSE);

  self->avatar = adw_avatar_new (36, NULL, TRUE);
  self->dot = oh_hud_presence_dot_new ();
  gtk_overlay_set_child (GTK_OVERLAY (overlay), self->avatar);
  gtk_overlay_add_overlay (GTK_OVERLAY (overlay), self->dot);
  adw_action_row_add_prefix (ADW_ACTION_ROW (self), overlay);

  self->sessions_box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 4);
  gtk_widget_set_valign (self->sessions_box, GTK_ALIGN_CENTER);
  gtk_widget_set_visible (self->sessions_box, FALSE);
  adw_action_row_add_suffix (ADW_ACTION_ROW (self), self->sessions_box);

  self->call_button = oh_hud_icon_button ("call-start-symbolic", _("Call"));
  self->mobile_button = oh_hud_icon_button ("phone-apple-iphone-symbolic", _("Call mobile"));
  self->message_button = oh_hud_icon_button ("chat-message-new-symbolic", _("Write a message"));
  gtk_actionable_set_action_name (GTK_ACTIONABLE (self->call_button), "app.call-user");
  gtk_actionable_set_action_name (GTK_ACTIONABLE (self->mobile_button), "app.call-mobile");
  gtk_actionable_set_action_name (GTK_ACTIONABLE (self->message_button), "app.open-chat");
  gtk_box_append (GTK_BOX (buttons), self->call_button);
  gtk_box_append (GTK_BOX (buttons), self->mobile_button);
  gtk_box_append (GTK_BOX (buttons), self->message_button);
  gtk_widget_set_valign (buttons, GTK_ALIGN_CENTER);
  adw_action_row_add_suffix (ADW_ACTION_ROW (self), buttons);
}

/**
 * oh_hud_user_row_new:
 * @client: the HUD's client
 * @user: the user to show
 *
 * Returns: (transfer floating): a row that follows @user
 */
GtkWidget *
oh_hud_user_row_new (OhHudClient *client,
                     OhDBusUser  *user)
{
  OhHudUserRow *self = g_object_new (OH_TYPE_HUD_USER_ROW, NULL);
  const char *path = g_dbus_proxy_get_object_path (G_DBUS_PROXY (user));

  self->client = g_object_ref (client);
  self->user = g_object_ref (user);
  gtk_actionable_set_action_target (GTK_ACTIONABLE (self->call_button), "s", path);
  gtk_actionable_set_action_target (GTK_ACTIONABLE (self->mobile_button), "s", path);
  g_signal_connect_object (user, "notify", G_CALLBACK (on_user_changed), self, 0);
  g_signal_connect_object (oh_hud_client_get_sessions (client), "items-changed",
                           G_CALLBACK (on_sessions_changed), self, 0);
  g_signal_connect_object (client, "notify::ready", G_CALLBACK (on_client_ready), self, 0);
  on_client_ready (client, NULL, self);
  render (self);
  render_sessions (self);
  return GTK_WIDGET (self);
}

OhDBusUser *
oh_hud_user_row_get_user (OhHudUserRow *self)
{
  g_return_val_if_fail (OH_IS_HUD_USER_ROW (self), NULL);
  return self->user;
}

/**
 * oh_hud_user_row_dump:
 * @builder: inside an array
 *
 * Adds what the row shows, as an object.
 */
void
oh_hud_user_row_dump (OhHudUserRow *self,
                      JsonBuilder  *builder)
{
  GtkWidget *child;

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "path");
  json_builder_add_string_value (builder, g_dbus_proxy_get_object_path (G_DBUS_PROXY (self->user)));
  json_builder_set_member_name (builder, "title");
  json_builder_add_string_value (builder,
                                 adw_preferences_row_get_title (ADW_PREFERENCES_ROW (self)));
  json_builder_set_member_name (builder, "subtitle");
  json_builder_add_string_value (builder, adw_action_row_get_subtitle (ADW_ACTION_ROW (self)));
  json_builder_set_member_name (builder, "extension");
  json_builder_add_string_value (builder, nonnull (oh_dbus_user_get_extension (self->user)));
  json_builder_set_member_name (builder, "presence");
  json_builder_add_string_value (builder, self->shown_presence);
  json_builder_set_member_name (builder, "self");
  json_builder_add_boolean_value (builder, self->is_self);
  json_builder_set_member_name (builder, "can-call-mobile");
  json_builder_add_boolean_value (builder, gtk_widget_get_visible (self->mobile_button));
  json_builder_set_member_name (builder, "sessions");
  json_builder_begin_array (builder);
  for (guint i = 0; i < self->sessions->len; i++)
    json_builder_add_string_value (
      builder, g_dbus_proxy_get_object_path (g_ptr_array_index (self->sessions, i)));
  json_builder_end_array (builder);
  json_builder_set_member_name (builder, "session-texts");
  json_builder_begin_array (builder);
  for (child = gtk_widget_get_first_child (self->sessions_box); child;
       child = gtk_widget_get_next_sibling (child))
    json_builder_add_string_value (builder, gtk_label_get_text (GTK_LABEL (child)));
  json_builder_end_array (builder);
  json_builder_end_object (builder);
}
