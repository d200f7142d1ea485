/* bench-decode.c: the ARI decoder on the recorded Asterisk event streams
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 *
 * Decodes (and frees) every event of the .jsonl files in
 * ../shared/ari-transcripts/, as the WebSocket carried it (compact JSON),
 * N times over, and prints the CPU time per event for the whole mix and for
 * each event type; then the REST lists of a resync at the scale of a big PBX
 * (10,000 endpoints, 2,000 channels). Asserts nothing.
 *
 *   bench-decode [-n ROUNDS] [--type TYPE] [--rest] [--dir DIR]
 *
 * With --type only that type (or "all", the mix) is decoded, once per
 * round; with --rest only the lists. Instruction counts come from running
 * it under callgrind with collection limited to bench_decode_events() and
 * bench_decode_lists(): bench/decode/run does that for every type.
 */
#include <stdio.h>
#include <string.h>
#include <time.h>

#include <json-glib/json-glib.h>

#include "ari/oh-ari-decode.h"

#define N_ENDPOINTS 10000
#define N_CHANNELS 2000

typedef struct
{
  char  *type;
  char  *text;
  gsize  length;
} Event;

static void
event_free (Event *event)
{
  g_free (event->type);
  g_free (event->text);
  g_free (event);
}

static gint64
cpu_time_ns (void)
{
  struct timespec ts;

  clock_gettime (CLOCK_PROCESS_CPUTIME_ID, &ts);
  return (gint64) ts.tv_sec * 1000000000 + ts.tv_nsec;
}

static gint
compare_names (gconstpointer a,
               gconstpointer b)
{
  return strcmp (*(const char **) a, *(const char **) b);
}

/* Every event of every transcript in @dir, in order. Also keeps one
 * channel and one endpoint object as templates for the lists. */
static GPtrArray *
load_events (const char *dir,
             JsonNode  **channel_template,
             JsonNode  **endpoint_template)
{
  g_autoptr(GPtrArray) events = g_ptr_array_new_with_free_func ((GDestroyNotify) event_free);
  g_autoptr(GDir) folder = NULL;
  g_autoptr(GPtrArray) names = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GError) error = NULL;
  const char *name;

  folder = g_dir_open (dir, 0, &error);
  if (folder == NULL)
    g_error ("%s", error->message);
  while ((name = g_dir_read_name (folder)) != NULL)
    if (g_str_has_suffix (name, ".jsonl"))
      g_ptr_array_add (names, g_strdup (name));
  g_ptr_array_sort (names, compare_names);

  for (guint f = 0; f < names->len; f++)
    {
      g_autofree char *path = g_build_filename (dir, g_ptr_array_index (names, f), NULL);
      g_autofree char *contents = NULL;
      g_auto(GStrv) lines = NULL;

      if (!g_file_get_contents (path, &contents, NULL, &error))
        g_error ("%s", error->message);
      lines = g_strsplit (contents, "\n", -1);
      for (guint i = 0; lines[i] != NULL; i++)
        {
          g_autoptr(JsonNode) line = NULL;
          JsonObject *object, *raw;
          Event *event;

          if (*lines[i] == '\0')
            continue;
          line = json_from_string (lines[i], &error);
          if (line == NULL)
            g_error ("%s: %s", path, error->message);
          object = json_node_get_object (line);
          if (g_strcmp0 (json_object_get_string_member_with_default (object, "kind", ""),
                         "event") != 0)
            continue;
          raw = json_object_get_object_member (object, "event");
          event = g_new0 (Event, 1);
          event->type = g_strdup (json_object_get_string_member (raw, "type"));
          event->text = json_to_string (json_object_get_member (object, "event"), FALSE);
          event->length = strlen (event->text);
          g_ptr_array_add (events, event);

          if (*channel_template == NULL && g_str_equal (event->type, "StasisStart"))
            *channel_template = json_node_copy (json_object_get_member (raw, "channel"));
          if (*endpoint_template == NULL && g_str_equal (event->type, "PeerStatusChange"))
            *endpoint_template = json_node_copy (json_object_get_member (raw, "endpoint"));
        }
    }

  if (*channel_template == NULL || *endpoint_template == NULL)
    g_error ("No StasisStart or PeerStatusChange in %s", dir);
  return g_steal_pointer (&events);
}

/* What callgrind counts (--toggle-collect): decoding and freeing. */
G_GNUC_NO_INLINE static guint
bench_decode_events (GPtrArray *events,
                     guint      rounds)
{
  guint decoded = 0;

  for (guint r = 0; r < rounds; r++)
    for (guint i = 0; i < events->len; i++)
      {
        Event *event = g_ptr_array_index (events, i);
        g_autoptr(GError) error = NULL;
        OhAriEvent *decoded_event = oh_ari_event_decode (event->text, event->length, &error);

        if (decoded_event == NULL)
          g_error ("%s: %s", event->type, error->message);
        oh_ari_event_unref (decoded_event);
        decoded++;
      }

  return decoded;
}

G_GNUC_NO_INLINE static guint
bench_decode_lists (const char *endpoints,
                    const char *channels,
                    guint       rounds)
{
  guint decoded = 0;

  for (guint r = 0; r < rounds; r++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(GPtrArray) endpoint_list = NULL;
      g_autoptr(GPtrArray) channel_list = NULL;

      endpoint_list = oh_ari_endpoint_list_decode (endpoints, strlen (endpoints), &error);
      if (endpoint_list == NULL)
        g_error ("endpoints: %s", error->message);
      channel_list = oh_ari_channel_list_decode (channels, strlen (channels), &error);
      if (channel_list == NULL)
        g_error ("channels: %s", error->message);
      decoded += endpoint_list->len + channel_list->len;
    }

  return decoded;
}

/* GET /endpoints and GET /channels as a PBX of @n_endpoints phones with
 * @n_channels channels up would answer. */
static char *
make_list (JsonNode   *template,
           guint       n,
           const char *id_member)
{
  g_autoptr(JsonArray) array = json_array_sized_new (n);
  g_autoptr(JsonNode) root = json_node_new (JSON_NODE_ARRAY);

  for (guint i = 0; i < n; i++)
    {
      JsonNode *copy = json_node_copy (template);
      g_autofree char *id = g_strdup_printf ("%u", 10000 + i);

      json_object_set_string_member (json_node_get_object (copy), id_member, id);
      json_array_add_element (array, copy);
    }
  json_node_set_array (root, array);
  return json_to_string (root, FALSE);
}

static gint
compare_types (gconstpointer a,
               gconstpointer b,
               gpointer      counts)
{
  guint count_a = GPOINTER_TO_UINT (g_hash_table_lookup (counts, *(const char **) a));
  guint count_b = GPOINTER_TO_UINT (g_hash_table_lookup (counts, *(const char **) b));

  if (count_a != count_b)
    return count_a > count_b ? -1 : 1;
  return strcmp (*(const char **) a, *(const char **) b);
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GOptionContext) context = g_option_context_new ("- time the ARI decoder");
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) events = NULL;
  g_autoptr(GPtrArray) types = g_ptr_array_new ();
  g_autoptr(GHashTable) counts = g_hash_table_new (g_str_hash, g_str_equal);
  g_autoptr(JsonNode) channel_template = NULL;
  g_autoptr(JsonNode) endpoint_template = NULL;
  g_autofree char *dir = NULL;
  g_autofree char *only = NULL;
  gint rounds = 200;
  gboolean rest_only = FALSE;
  gsize bytes = 0;
  GOptionEntry entries[] = {
    { "rounds", 'n', 0, G_OPTION_ARG_INT, &rounds, "Decode every event N times", "N" },
    { "type", 't', 0, G_OPTION_ARG_STRING, &only, "Only this event type (\"all\": the mix)",
      "TYPE" },
    { "rest", 0, 0, G_OPTION_ARG_NONE, &rest_only, "Only the REST lists", NULL },
    { "dir", 0, 0, G_OPTION_ARG_FILENAME, &dir, "The transcripts", "DIR" },
    G_OPTION_ENTRY_NULL
  };

  g_option_context_add_main_entries (context, entries, NULL);
  if (!g_option_context_parse (context, &argc, &argv, &error))
    {
      g_printerr ("%s\n", error->message);
      return 2;
    }
  if (dir == NULL)
    dir = g_strdup (g_getenv ("OFFHOOK_TRANSCRIPTS") ? g_getenv ("OFFHOOK_TRANSCRIPTS")
                                                     : OH_BENCH_TRANSCRIPTS);

  events = load_events (dir, &channel_template, &endpoint_template);
  for (guint i = 0; i < events->len; i++)
    {
      Event *event = g_ptr_array_index (events, i);
      guint count = GPOINTER_TO_UINT (g_hash_table_lookup (counts, event->type));

      if (count == 0)
        g_ptr_array_add (types, event->type);
      g_hash_table_insert (counts, event->type, GUINT_TO_POINTER (count + 1));
      bytes += event->length;
    }
  g_ptr_array_sort_with_data (types, compare_types, counts);

  if (only != NULL)
    {
      g_autoptr(GPtrArray) selected = g_ptr_array_new ();
      gint64 start;
      guint decoded;

      for (guint i = 0; i < events->len; i++)
        {
          Event *event = g_ptr_array_index (events, i);

          if (g_str_equal (only, "all") || g_str_equal (only, event->type))
            g_ptr_array_add (selected, event);
        }
      if (selected->len == 0)
        {
          g_printerr ("No %s events\n", only);
          return 1;
        }
      start = cpu_time_ns ();
      decoded = bench_decode_events (selected, rounds);
      /* Machine-readable, for bench/decode/run. */
      g_print ("decoded %u events in %.0f ns each\n", decoded,
               (double) (cpu_time_ns () - start) / decoded);
      return 0;
    }

  if (!rest_only)
    {
      gint64 start = cpu_time_ns ();
      guint decoded = bench_decode_events (events, rounds);
      double mix_ns = (double) (cpu_time_ns () - start) / decoded;

      g_print ("**ARI events**: %u events of %u types from %s, %.0f bytes on average, "
               "decoded and freed %d times\n\n",
               events->len, types->len, dir, (double) bytes / events->len, rounds);
      g_print ("| type | events | share | bytes | CPU ns per event |\n");
      g_print ("| --- | ---: | ---: | ---: | ---: |\n");
      g_print ("| *all (the mix)* | %u | 100 %% | %.0f | %.0f |\n", events->len,
               (double) bytes / events->len, mix_ns);
      for (guint t = 0; t < types->len; t++)
        {
          const char *type = g_ptr_array_index (types, t);
          g_autoptr(GPtrArray) selected = g_ptr_array_new ();
          gsize type_bytes = 0;

          for (guint i = 0; i < events->len; i++)
            {
              Event *event = g_ptr_array_index (events, i);

              if (g_str_equal (event->type, type))
                {
                  g_ptr_array_add (selected, event);
                  type_bytes += event->length;
                }
            }
          start = cpu_time_ns ();
          /* Every type decoded about as often as the mix as a whole. */
          decoded = bench_decode_events (selected, MAX (1, rounds * events->len / selected->len / 4));
          g_print ("| %s | %u | %.1f %% | %" G_GSIZE_FORMAT " | %.0f |\n", type, selected->len,
                   100.0 * selected->len / events->len, type_bytes / selected->len,
                   (double) (cpu_time_ns () - start) / decoded);
        }
      g_print ("\n");
    }

  if (rest_only || only == NULL)
    {
      g_autofree char *endpoints = make_list (endpoint_template, N_ENDPOINTS, "resource");
      g_autofree char *channels = make_list (channel_template, N_CHANNELS, "id");
      guint list_rounds = MAX (1, rounds / 40);
      gint64 start = cpu_time_ns ();
      guint decoded = bench_decode_lists (endpoints, channels, list_rounds);
      double ms = (double) (cpu_time_ns () - start) / 1e6 / list_rounds;

      g_print ("decoded %u list items\n", decoded);
      g_print ("**REST lists** of a resync (%d endpoints: %" G_GSIZE_FORMAT " bytes; %d channels: %"
               G_GSIZE_FORMAT " bytes), decoded and freed %u times: %.1f ms of CPU each time\n",
               N_ENDPOINTS, strlen (endpoints), N_CHANNELS, strlen (channels), list_rounds, ms);
    }

  return 0;
}
