/* oh-hud-history-view.c: the call history, paged and filtered
 *
 * One History.Query() per page, filter change or EntryAdded; a reply to
 * an older query than the latest is dropped. The filter is the search
 * text, "missed only" and a date range (whole local days).
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#define G_LOG_DOMAIN "offhook-hud"

#include <glib/gi18n.h>

#include "oh-hud-format.h"
#include "oh-hud-history-view.h"
#include "oh-hud-util.h"

#define ROWS_PER_PAGE 20
/* A busy PBX adds entries many times a second: one query for a burst. */
#define RELOAD_DELAY_MS 300

struct _OhHudHistoryView
{
  GtkBox        parent_instance;

  OhHudClient  *client;
  GCancellable *cancellable;
  guint         generation;
  guint         page;
  guint         total;
  gboolean      loaded;
  gboolean      stale;
  guint         reload_id;
  char         *error;
  GDateTime    *since;   /* a local day, or NULL */
  GDateTime    *until;

  GtkWidget    *search;
  GtkWidget    *missed;
  GtkWidget    *since_button;
  GtkWidget    *since_calendar;
  GtkWidget    *until_button;
  GtkWidget    *until_calendar;
  GtkWidget    *list;
  GtkWidget    *placeholder;
  GtkWidget    *previous;
  GtkWidget    *next;
  GtkWidget    *page_label;
};

G_DEFINE_FINAL_TYPE (OhHudHistoryView, oh_hud_history_view, GTK_TYPE_BOX)

static const char *
lookup_string (GVariant   *entry,
               const char *key)
{
  const char *value = NULL;

  if (!g_variant_lookup (entry, key, "&s", &value))
    return "";
  return value;
}

static gint64
lookup_time (GVariant   *entry,
             const char *key)
{
  gint64 value = 0;

  g_variant_lookup (entry, key, "x", &value);
  return value;
}

static guint
n_pages (OhHudHistoryView *self)
{
  return MAX (1, (self->total + ROWS_PER_PAGE - 1) / ROWS_PER_PAGE);
}

/* --- rows ------------------------------------------------------------ */

static GtkWidget *
entry_row_new (OhHudHistoryView *self,
               GVariant         *entry)
{
  const char *own = oh_hud_client_get_own_extension (self->client);
  const char *caller = lookup_string (entry, "caller");
  const char *callee = lookup_string (entry, "callee");
  const char *disposition = lookup_string (entry, "disposition");
  gboolean outgoing = own && g_str_equal (caller, own);
  gboolean incoming = own && g_str_equal (callee, own);
  gboolean missed = g_str_equal (disposition, "missed");
  guint32 talk = 0;
  GtkWidget *row = adw_action_row_new ();
  GtkWidget *icon;
  GtkWidget *call_back;
  g_autofree char *title = NULL;
  g_autofree char *when = oh_hud_format_time (lookup_time (entry, "start-time"), NULL);
  g_autofree char *subtitle = NULL;
  g_autofree char *call_label = NULL;
  const char *number;
  const char *icon_name;

  g_variant_lookup (entry, "talk-seconds", "u", &talk);
  if (outgoing)
    {
      number = callee;
      title = oh_hud_party (lookup_string (entry, "callee-name"), callee);
      icon_name = "call-outgoing-symbolic";
    }
  else
    {
      g_autofree char *from = oh_hud_party (lookup_string (entry, "caller-name"), caller);
      g_autofree char *to = oh_hud_party (lookup_string (entry, "callee-name"), callee);

      number = caller;
      title = incoming ? g_strdup (from) : g_strdup_printf (_("%s → %s"), from, to);
      icon_name = missed ? "call-missed-symbolic" : "call-incoming-symbolic";
    }
  if (talk > 0)
    {
      g_autofree char *duration = oh_hud_format_duration (talk);

      /* TRANSLATORS: "Answered · Today 14:05 · 2:31" */
      subtitle = g_strdup_printf (_("%s · %s · %s"), oh_hud_disposition_label (disposition), when,
                                  duration);
    }
  else
    subtitle = g_strdup_printf (_("%s · %s"), oh_hud_disposition_label (disposition), when);

  adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title);
  adw_action_row_set_subtitle (ADW_ACTION_ROW (row), subtitle);
  icon = gtk_image_new_from_icon_name (icon_name);
  if (missed)
    gtk_widget_add_css_class (icon, "error");
  oh_hud_set_tooltip_label (icon, oh_hud_direction_label (lookup_string (entry, "direction")));
  adw_action_row_add_prefix (ADW_ACTION_ROW (row), icon);

  call_label = g_strdup_printf (_("Call %s back"), title);
  call_back = oh_hud_icon_button ("call-start-symbolic", call_label);
  gtk_actionable_set_action_name (GTK_ACTIONABLE (call_back), "app.dial");
  gtk_actionable_set_action_target (GTK_ACTIONABLE (call_back), "s", number);
  gtk_widget_set_visible (call_back, *number && (!own || !g_str_equal (number, own)));
  adw_action_row_add_suffix (ADW_ACTION_ROW (row), call_back);

  g_object_set_data_full (G_OBJECT (row), "entry", g_variant_ref (entry),
                          (GDestroyNotify) g_variant_unref);
  return row;
}

/* --- querying -------------------------------------------------------- */

static gint64
day_start (GDateTime *day,
           int        offset)
{
  g_autoptr(GDateTime) start = g_date_time_new_local (g_date_time_get_year (day),
                                                      g_date_time_get_month (day),
                                                      g_date_time_get_day_of_month (day), 0, 0, 0);
  g_autoptr(GDateTime) shifted = g_date_time_add_days (start, offset);

  return g_date_time_to_unix (shifted) * G_USEC_PER_SEC;
}

static GVariant *
build_filter (OhHudHistoryView *self)
{
  g_auto(GVariantBuilder) builder = G_VARIANT_BUILDER_INIT (G_VARIANT_TYPE_VARDICT);
  const char *text = gtk_editable_get_text (GTK_EDITABLE (self->search));

  if (text && *text)
    g_variant_builder_add (&builder, "{sv}", "text", g_variant_new_string (text));
  if (gtk_toggle_button_get_active (GTK_TOGGLE_BUTTON (self->missed)))
    g_variant_builder_add (&builder, "{sv}", "disposition", g_variant_new_string ("missed"));
  if (self->since)
    g_variant_builder_add (&builder, "{sv}", "since", g_variant_new_int64 (day_start (self->since, 0)));
  if (self->until)
    g_variant_builder_add (&builder, "{sv}", "until",
                           g_variant_new_int64 (day_start (self->until, 1) - 1));
  return g_variant_builder_end (&builder);
}

static void
render_pager (OhHudHistoryView *self)
{
  g_autofree char *text = NULL;

  /* TRANSLATORS: "Page 1 of 3 · 57 calls" */
  text = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "Page %u of %u · %u call",
                                       "Page %u of %u · %u calls", self->total),
                          self->page + 1, n_pages (self), self->total);
  gtk_label_set_text (GTK_LABEL (self->page_label), text);
  gtk_widget_set_sensitive (self->previous, self->page > 0);
  gtk_widget_set_sensitive (self->next, self->page + 1 < n_pages (self));
}

static void
show_placeholder (OhHudHistoryView *self)
{
  AdwStatusPage *page = ADW_STATUS_PAGE (self->placeholder);
  g_autoptr(GVariant) filter = g_variant_ref_sink (build_filter (self));

  if (self->error)
    {
      g_autofree char *markup = g_markup_escape_text (self->error, -1);

      adw_status_page_set_icon_name (page, "dialog-error-symbolic");
      adw_status_page_set_title (page, _("The History Cannot Be Read"));
      /* The description is markup; the daemon's message is text. */
      adw_status_page_set_description (page, markup);
    }
  else if (g_variant_n_children (filter) > 0)
    {
      adw_status_page_set_icon_name (page, "edit-find-symbolic");
      adw_status_page_set_title (page, _("No Matching Calls"));
      adw_status_page_set_description (page, _("Try another search or date range"));
    }
  else
    {
      adw_status_page_set_icon_name (page, "document-open-recent-symbolic");
      adw_status_page_set_title (page, _("No Calls Yet"));
      adw_status_page_set_description (page, NULL);
    }
}

typedef struct {
  OhHudHistoryView *self;
  guint             generation;
} Query;

static void
on_query_done (GObject      *source,
               GAsyncResult *result,
               gpointer      data)
{
  Query *query = data;
  g_autoptr(OhHudHistoryView) self = query->self;
  g_autoptr(GError) error = NULL;
  g_autoptr(GVariant) entries = NULL;
  guint total = 0;
  guint generation = query->generation;

  g_free (query);
  if (!oh_dbus_history_call_query_finish (OH_DBUS_HISTORY (source), &entries, &total, result,
                                          &error))
    {
      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED) ||
          generation != self->generation)
        return;
      g_clear_pointer (&self->error, g_free);
      self->error = oh_hud_error_message (error);
      self->total = 0;
      oh_hud_clear_list_box (GTK_LIST_BOX (self->list));
      show_placeholder (self);
      render_pager (self);
      return;
    }
  if (generation != self->generation)
    return;

  g_clear_pointer (&self->error, g_free);
  self->loaded = TRUE;
  self->total = total;
  oh_hud_clear_list_box (GTK_LIST_BOX (self->list));
  for (gsize i = 0; i < g_variant_n_children (entries); i++)
    {
      g_autoptr(GVariant) entry = g_variant_get_child_value (entries, i);

      gtk_list_box_append (GTK_LIST_BOX (self->list), entry_row_new (self, entry));
    }
  /* A page beyond the end after entries were deleted: show the last. */
  if (g_variant_n_children (entries) == 0 && self->page > 0 && total > 0)
    {
      self->page = n_pages (self) - 1;
      oh_hud_history_view_reload (self);
      return;
    }
  show_placeholder (self);
  render_pager (self);
}

/**
 * oh_hud_history_view_reload:
 *
 * Queries the current page again.
 */
void
oh_hud_history_view_reload (OhHudHistoryView *self)
{
  OhDBusHistory *history = oh_hud_client_get_history (self->client);
  Query *query;

  if (history == NULL)
    return;
  self->stale = FALSE;
  g_clear_handle_id (&self->reload_id, g_source_remove);
  query = g_new0 (Query, 1);
  query->self = g_object_ref (self);
  query->generation = ++self->generation;
  oh_dbus_history_call_query (history, build_filter (self), self->page, ROWS_PER_PAGE,
                              self->cancellable, on_query_done, query);
}

static void
filter_changed (OhHudHistoryView *self)
{
  self->page = 0;
  oh_hud_history_view_reload (self);
}

static void
on_previous (OhHudHistoryView *self)
{
  if (self->page > 0)
    self->page--;
  oh_hud_history_view_reload (self);
}

static void
on_next (OhHudHistoryView *self)
{
  if (self->page + 1 < n_pages (self))
    self->page++;
  oh_hud_history_view_reload (self);
}

static void
on_reload_due (gpointer data)
{
  OhHudHistoryView *self = data;

  self->reload_id = 0;
  oh_hud_history_view_reload (self);
}

static void
on_entry_added (OhDBusHistory    *history,
                GVariant         *entry,
                OhHudHistoryView *self)
{
  if (!gtk_widget_get_mapped (GTK_WIDGET (self)))
    self->stale = TRUE;
  else if (self->reload_id == 0)
    self->reload_id = g_timeout_add_once (RELOAD_DELAY_MS, on_reload_due, self);
}

static void
on_map (OhHudHistoryView *self)
{
  if (self->stale)
    oh_hud_history_view_reload (self);
}

static void
on_client_ready (OhHudClient      *client,
                 GParamSpec       *pspec,
                 OhHudHistoryView *self)
{
  OhDBusHistory *history = oh_hud_client_get_history (client);

  if (history == NULL || g_object_get_data (G_OBJECT (self), "watching") == history)
    return;
  g_object_set_data (G_OBJECT (self), "watching", history);
  g_signal_connect_object (history, "entry-added", G_CALLBACK (on_entry_added), self, 0);
  oh_hud_history_view_reload (self);
}

/* --- dates ----------------------------------------------------------- */

static void
render_date_button (GtkWidget  *button,
                    GDateTime  *day,
                    const char *unset,
                    const char *format)
{
  g_autofree char *date = NULL;
  g_autofree char *label = NULL;

  if (day == NULL)
    {
      gtk_menu_button_set_label (GTK_MENU_BUTTON (button), unset);
      return;
    }
  /* TRANSLATORS: a day, see strftime(3) */
  date = g_date_time_format (day, _("%e %b %Y"));
  g_strstrip (date);
  label = g_strdup_printf (format, date);
  gtk_menu_button_set_label (GTK_MENU_BUTTON (button), label);
}

static void
render_dates (OhHudHistoryView *self)
{
  /* TRANSLATORS: the first day of the history's date range */
  render_date_button (self->since_button, self->since, _("From any day"), _("From %s"));
  /* TRANSLATORS: the last day of the history's date range */
  render_date_button (self->until_button, self->until, _("To any day"), _("To %s"));
}

static void
on_day_selected (GtkCalendar      *calendar,
                 OhHudHistoryView *self)
{
  GDateTime **day = GTK_WIDGET (calendar) == self->since_calendar ? &self->since : &self->until;

  g_clear_pointer (day, g_date_time_unref);
  *day = gtk_calendar_get_date (calendar);
  render_dates (self);
  filter_changed (self);
}

static void
on_clear_day (GtkButton        *button,
              OhHudHistoryView *self)
{
  GtkWidget *menu = g_object_get_data (G_OBJECT (button), "menu");

  if (menu == self->since_button)
    g_clear_pointer (&self->since, g_date_time_unref);
  else
    g_clear_pointer (&self->until, g_date_time_unref);
  gtk_menu_button_popdown (GTK_MENU_BUTTON (menu));
  render_dates (self);
  filter_changed (self);
}

static GtkWidget *
date_button_new (OhHudHistoryView *self,
                 GtkWidget       **calendar,
                 const char       *accessible)
{
  GtkWidget *button = gtk_menu_button_new ();
  GtkWidget *popover = gtk_popover_new ();
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 6);
  GtkWidget *clear = gtk_button_new_with_mnemonic (_("_Any Day"));

  *calendar = gtk_calendar_new ();
  g_signal_connect (*calendar, "day-selected", G_CALLBACK (on_day_selected), self);
  g_object_set_data (G_OBJECT (clear), "menu", button);
  g_signal_connect (clear, "clicked", G_CALLBACK (on_clear_day), self);
  gtk_box_append (GTK_BOX (box), *calendar);
  gtk_box_append (GTK_BOX (box), clear);
  gtk_popover_set_child (GTK_POPOVER (popover), box);
  gtk_menu_button_set_popover (GTK_MENU_BUTTON (button), popover);
  gtk_accessible_update_property (GTK_ACCESSIBLE (button), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  accessible, -1);
  return button;
}

/* --- GObject --------------------------------------------------------- */

static void
oh_hud_history_view_dispose (GObject *object)
{
  OhHudHistoryView *self = OH_HUD_HISTORY_VIEW (object);

  g_cancellable_cancel (self->cancellable);
  g_clear_handle_id (&self->reload_id, g_source_remove);
  g_clear_object (&self->client);

  G_OBJECT_CLASS (oh_hud_history_view_parent_class)->dispose (object);
}

static void
oh_hud_history_view_finalize (GObject *object)
{
  OhHudHistoryView *self = OH_HUD_HISTORY_VIEW (object);

  g_clear_object (&self->cancellable);
  g_clear_pointer (&self->since, g_date_time_unref);
  g_clear_pointer (&self->until, g_date_time_unref);
  g_free (self->error);

  G_OBJECT_CLASS (oh_hud_history_view_parent_class)->finalize (object);
}

static void
oh_hud_history_view_class_init (OhHudHistoryViewClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = oh_hud_history_view_dispose;
  object_class->finalize = oh_hud_history_view_finalize;
}

static void
oh_hud_history_view_init (OhHudHistoryView *self)
{
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 12);
  GtkWidget *filters = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 6);
  GtkWidget *pager = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 12);
  GtkWidget *clamp = adw_clamp_new ();
  GtkWidget *scrolled = gtk_scrolled_window_new ();

  self->cancellable = g_cancellable_new ();
  gtk_orientable_set_orientation (GTK_ORIENTABLE (self), GTK_ORIENTATION_VERTICAL);

  self->search = gtk_search_entry_new ();
  g_object_set (self->search, "placeholder-text",
                                         _("Search names and numbers"), NULL);
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->search), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  _("Search the history"), -1);
  gtk_widget_set_hexpand (self->search, TRUE);
  g_signal_connect_swapped (self->search, "search-changed", G_CALLBACK (filter_changed), self);
  self->missed = gtk_toggle_button_new_with_mnemonic (_("_Missed Only"));
  g_signal_connect_swapped (self->missed, "toggled", G_CALLBACK (filter_changed), self);
  self->since_button = date_button_new (self, &self->since_calendar, _("First day"));
  self->until_button = date_button_new (self, &self->until_calendar, _("Last day"));
  render_dates (self);
  gtk_box_append (GTK_BOX (filters), self->search);
  gtk_box_append (GTK_BOX (filters), self->missed);
  gtk_box_append (GTK_BOX (filters), self->since_button);
  gtk_box_append (GTK_BOX (filters), self->until_button);
  gtk_box_append (GTK_BOX (box), filters);

  self->list = gtk_list_box_new ();
  gtk_list_box_set_selection_mode (GTK_LIST_BOX (self->list), GTK_SELECTION_NONE);
  gtk_widget_add_css_class (self->list, "boxed-list");
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->list), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  _("Call history"), -1);
  self->placeholder = adw_status_page_new ();
  gtk_widget_add_css_class (self->placeholder, "compact");
  gtk_list_box_set_placeholder (GTK_LIST_BOX (self->list), self->placeholder);
  gtk_box_append (GTK_BOX (box), self->list);

  self->previous = oh_hud_icon_button ("go-previous-symbolic", _("Newer calls"));
  self->next = oh_hud_icon_button ("go-next-symbolic", _("Older calls"));
  g_signal_connect_swapped (self->previous, "clicked", G_CALLBACK (on_previous), self);
  g_signal_connect_swapped (self->next, "clicked", G_CALLBACK (on_next), self);
  self->page_label = gtk_label_new (NULL);
  gtk_widget_add_css_class (self->page_label, "dim-label");
  gtk_widget_add_css_class (self->page_label, "numeric");
  gtk_box_append (GTK_BOX (pager), self->previous);
  gtk_box_append (GTK_BOX (pager), self->page_label);
  gtk_box_append (GTK_BOX (pager), self->next);
  gtk_widget_set_halign (pager, GTK_ALIGN_CENTER);
  gtk_box_append (GTK_BOX (box), pager);

  gtk_widget_set_margin_top (box, 12);
  gtk_widget_set_margin_bottom (box, 18);
  gtk_widget_set_margin_start (box, 12);
  gtk_widget_set_margin_end (box, 12);
  adw_clamp_set_maximum_size (ADW_CLAMP (clamp), 860);
  adw_clamp_set_child (ADW_CLAMP (clamp), box);
  gtk_scrolled_window_set_child (GTK_SCROLLED_WINDOW (scrolled), clamp);
  gtk_scrolled_window_set_policy (GTK_SCROLLED_WINDOW (scrolled), GTK_POLICY_NEVER,
                                  GTK_POLICY_AUTOMATIC);
  gtk_widget_set_vexpand (scrolled, TRUE);
  gtk_box_append (GTK_BOX (self), scrolled);
  g_signal_connect (self, "map", G_CALLBACK (on_map), NULL);
  render_pager (self);
}

/**
 * oh_hud_history_view_new:
 * @client: the HUD's client
 *
 * Returns: (transfer floating): the history view
 */
GtkWidget *
oh_hud_history_view_new (OhHudClient *client)
{
  OhHudHistoryView *self = g_object_new (OH_TYPE_HUD_HISTORY_VIEW, NULL);

  self->client = g_object_ref (client);
  g_signal_connect_object (client, "notify::ready", G_CALLBACK (on_client_ready), self, 0);
  g_signal_connect_object (client, "notify::daemon-running", G_CALLBACK (on_client_ready), self,
                           0);
  on_client_ready (client, NULL, self);
  show_placeholder (self);
  return GTK_WIDGET (self);
}

static gboolean
lookup_day (GVariant    *filter,
            const char  *key,
            GDateTime  **day,
            GError     **error)
{
  gint64 usec;

  if (!g_variant_lookup (filter, key, "x", &usec))
    return TRUE;
  g_clear_pointer (day, g_date_time_unref);
  if (usec <= 0)
    return TRUE;
  *day = g_date_time_new_from_unix_local (usec / G_USEC_PER_SEC);
  if (*day == NULL)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT, "“%s” is out of range", key);
      return FALSE;
    }
  return TRUE;
}

/**
 * oh_hud_history_view_set_filter:
 * @filter: a{sv} with "text" (s), "missed-only" (b), "since" and "until"
 *   (x, µs: their local days; 0 clears), "page" (u, from 0)
 *
 * Sets the filter widgets as a person would, and queries again.
 *
 * Returns: %FALSE with @error set for unknown keys or bad values
 */
gboolean
oh_hud_history_view_set_filter (OhHudHistoryView *self,
                                GVariant         *filter,
                                GError          **error)
{
  static const char *const known[] = { "text", "missed-only", "since", "until", "page", NULL };
  GVariantIter iter;
  const char *key;
  const char *text;
  gboolean missed;
  guint32 page;

  g_return_val_if_fail (OH_IS_HUD_HISTORY_VIEW (self), FALSE);
  g_variant_iter_init (&iter, filter);
  while (g_variant_iter_next (&iter, "{&sv}", &key, NULL))
    if (!g_strv_contains (known, key))
      {
        g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT, "Unknown filter “%s”", key);
        return FALSE;
      }
  if (!lookup_day (filter, "since", &self->since, error) ||
      !lookup_day (filter, "until", &self->until, error))
    return FALSE;

  g_signal_handlers_block_by_func (self->search, filter_changed, self);
  g_signal_handlers_block_by_func (self->missed, filter_changed, self);
  if (g_variant_lookup (filter, "text", "&s", &text))
    gtk_editable_set_text (GTK_EDITABLE (self->search), text);
  if (g_variant_lookup (filter, "missed-only", "b", &missed))
    gtk_toggle_button_set_active (GTK_TOGGLE_BUTTON (self->missed), missed);
  g_signal_handlers_unblock_by_func (self->search, filter_changed, self);
  g_signal_handlers_unblock_by_func (self->missed, filter_changed, self);
  render_dates (self);
  self->page = g_variant_lookup (filter, "page", "u", &page) ? page : 0;
  oh_hud_history_view_reload (self);
  return TRUE;
}

static void
dump_day (JsonBuilder *builder,
          const char  *name,
          GDateTime   *day)
{
  g_autofree char *text = day ? g_date_time_format (day, "%Y-%m-%d") : g_strdup ("");

  json_builder_set_member_name (builder, name);
  json_builder_add_string_value (builder, text);
}

/**
 * oh_hud_history_view_dump:
 * @builder: inside an object
 *
 * Adds "history": the filter, the page and the entries shown.
 */
void
oh_hud_history_view_dump (OhHudHistoryView *self,
                          JsonBuilder      *builder)
{
  GtkListBoxRow *row;

  json_builder_set_member_name (builder, "history");
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "loaded");
  json_builder_add_boolean_value (builder, self->loaded);
  json_builder_set_member_name (builder, "error");
  json_builder_add_string_value (builder, self->error ? self->error : "");
  json_builder_set_member_name (builder, "text");
  json_builder_add_string_value (builder, gtk_editable_get_text (GTK_EDITABLE (self->search)));
  json_builder_set_member_name (builder, "missed-only");
  json_builder_add_boolean_value (builder,
                                  gtk_toggle_button_get_active (GTK_TOGGLE_BUTTON (self->missed)));
  dump_day (builder, "since", self->since);
  dump_day (builder, "until", self->until);
  json_builder_set_member_name (builder, "page");
  json_builder_add_int_value (builder, self->page);
  json_builder_set_member_name (builder, "pages");
  json_builder_add_int_value (builder, n_pages (self));
  json_builder_set_member_name (builder, "total");
  json_builder_add_int_value (builder, self->total);
  json_builder_set_member_name (builder, "entries");
  json_builder_begin_array (builder);
  for (int i = 0; (row = gtk_list_box_get_row_at_index (GTK_LIST_BOX (self->list), i)); i++)
    {
      GVariant *entry = g_object_get_data (G_OBJECT (row), "entry");

      if (entry == NULL)
        continue;
      json_builder_begin_object (builder);
      json_builder_set_member_name (builder, "id");
      json_builder_add_string_value (builder, lookup_string (entry, "id"));
      json_builder_set_member_name (builder, "caller");
      json_builder_add_string_value (builder, lookup_string (entry, "caller"));
      json_builder_set_member_name (builder, "callee");
      json_builder_add_string_value (builder, lookup_string (entry, "callee"));
      json_builder_set_member_name (builder, "disposition");
      json_builder_add_string_value (builder, lookup_string (entry, "disposition"));
      json_builder_set_member_name (builder, "title");
      json_builder_add_string_value (builder,
                                     adw_preferences_row_get_title (ADW_PREFERENCES_ROW (row)));
      json_builder_set_member_name (builder, "subtitle");
      json_builder_add_string_value (builder, adw_action_row_get_subtitle (ADW_ACTION_ROW (row)));
      json_builder_end_object (builder);
    }
  json_builder_end_array (builder);
  json_builder_end_object (builder);
}
