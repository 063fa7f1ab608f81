/* atlas-table.c — region names and short functional descriptions the
 * project ships for cross-annotation.
 *
 * Sources:
 * - Harvard-Oxford cortical names: FSL's data/atlases/HarvardOxford-Cortical.xml
 *   (Desikan et al. 2006; Makris et al. 2006; Frazier et al. 2005; Goldstein
 *   et al. 2007), label value = index + 1. mricron-data ships the image
 *   without this table, so it is carried here.
 * - Brodmann areas: K. Brodmann, Vergleichende Lokalisationslehre der
 *   Grosshirnrinde (1909), with the functional attributions summarised in
 *   Kandel et al., Principles of Neural Science (5th ed., 2013) and
 *   Strotzer, "One century of brain mapping using Brodmann areas",
 *   Clinical Neuroradiology 19 (2009) 179–186.
 * - Region families (AAL: Tzourio-Mazoyer et al. 2002; Harvard-Oxford): the
 *   same textbook attributions, by the gyrus or structure a name contains.
 * The descriptions are orientation for a user reading results, not claims
 * about what an FBN computes. */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "compute/annotate/atlas.h"

static const char *const harvard_oxford[] = {
  "Frontal Pole",
  "Insular Cortex",
  "Superior Frontal Gyrus",
  "Middle Frontal Gyrus",
  "Inferior Frontal Gyrus, pars triangularis",
  "Inferior Frontal Gyrus, pars opercularis",
  "Precentral Gyrus",
  "Temporal Pole",
  "Superior Temporal Gyrus, anterior division",
  "Superior Temporal Gyrus, posterior division",
  "Middle Temporal Gyrus, anterior division",
  "Middle Temporal Gyrus, posterior division",
  "Middle Temporal Gyrus, temporooccipital part",
  "Inferior Temporal Gyrus, anterior division",
  "Inferior Temporal Gyrus, posterior division",
  "Inferior Temporal Gyrus, temporooccipital part",
  "Postcentral Gyrus",
  "Superior Parietal Lobule",
  "Supramarginal Gyrus, anterior division",
  "Supramarginal Gyrus, posterior division",
  "Angular Gyrus",
  "Lateral Occipital Cortex, superior division",
  "Lateral Occipital Cortex, inferior division",
  "Intracalcarine Cortex",
  "Frontal Medial Cortex",
  "Juxtapositional Lobule Cortex (formerly Supplementary Motor Cortex)",
  "Subcallosal Cortex",
  "Paracingulate Gyrus",
  "Cingulate Gyrus, anterior division",
  "Cingulate Gyrus, posterior division",
  "Precuneous Cortex",
  "Cuneal Cortex",
  "Frontal Orbital Cortex",
  "Parahippocampal Gyrus, anterior division",
  "Parahippocampal Gyrus, posterior division",
  "Lingual Gyrus",
  "Temporal Fusiform Cortex, anterior division",
  "Temporal Fusiform Cortex, posterior division",
  "Temporal Occipital Fusiform Cortex",
  "Occipital Fusiform Gyrus",
  "Frontal Operculum Cortex",
  "Central Opercular Cortex",
  "Parietal Operculum Cortex",
  "Planum Polare",
  "Heschl's Gyrus (includes H1 and H2)",
  "Planum Temporale",
  "Supracalcarine Cortex",
  "Occipital Pole",
};

const char *
sa_atlas_harvard_oxford_name (int label)
{
  if (label < 1 || label > (int) G_N_ELEMENTS (harvard_oxford))
    return NULL;
  return harvard_oxford[label - 1];
}

static const struct {
  int          area;
  const char  *description;
} brodmann[] = {
  { 1, "primary somatosensory cortex (touch)" },
  { 2, "primary somatosensory cortex (touch, proprioception)" },
  { 3, "primary somatosensory cortex (touch)" },
  { 4, "primary motor cortex" },
  { 5, "somatosensory association cortex" },
  { 6, "premotor and supplementary motor cortex (movement planning)" },
  { 7, "superior parietal cortex (visuospatial processing, visuomotor coordination)" },
  { 8, "frontal eye fields (eye movements, attention)" },
  { 9, "dorsolateral prefrontal cortex (working memory, executive control)" },
  { 10, "frontopolar prefrontal cortex (planning, multitasking)" },
  { 11, "orbitofrontal cortex (reward, valuation)" },
  { 12, "orbitofrontal cortex (reward, valuation)" },
  { 13, "insular cortex (interoception, salience)" },
  { 17, "primary visual cortex (V1)" },
  { 18, "secondary visual cortex (V2)" },
  { 19, "visual association cortex (V3, V4, V5/MT: form, colour, motion)" },
  { 20, "inferior temporal gyrus (visual object recognition)" },
  { 21, "middle temporal gyrus (semantic processing, biological motion)" },
  { 22, "superior temporal gyrus (auditory association, speech; Wernicke's area)" },
  { 23, "ventral posterior cingulate cortex (default mode, memory)" },
  { 24, "ventral anterior cingulate cortex (emotion, conflict monitoring)" },
  { 25, "subgenual cingulate cortex (mood)" },
  { 26, "ectosplenial retrosplenial cortex (memory)" },
  { 27, "piriform cortex (olfaction)" },
  { 28, "entorhinal cortex (memory, spatial navigation)" },
  { 29, "retrosplenial cingulate cortex (memory, scene processing)" },
  { 30, "retrosplenial cingulate cortex (memory, scene processing)" },
  { 31, "dorsal posterior cingulate cortex (default mode)" },
  { 32, "dorsal anterior cingulate cortex (attention, error monitoring)" },
  { 33, "pregenual anterior cingulate cortex" },
  { 34, "anterior entorhinal cortex, uncus (olfaction, memory)" },
  { 35, "perirhinal cortex (object memory)" },
  { 36, "parahippocampal cortex (scene processing, memory)" },
  { 37, "fusiform gyrus (faces, objects, visual words)" },
  { 38, "temporal pole (semantic and social knowledge)" },
  { 39, "angular gyrus (language, semantics, attention)" },
  { 40, "supramarginal gyrus (phonology, somatosensory association)" },
  { 41, "primary auditory cortex (Heschl's gyrus)" },
  { 42, "secondary auditory cortex" },
  { 43, "primary gustatory cortex (subcentral area)" },
  { 44, "pars opercularis, Broca's area (speech production)" },
  { 45, "pars triangularis, Broca's area (language)" },
  { 46, "dorsolateral prefrontal cortex (working memory, attention)" },
  { 47, "pars orbitalis, inferior frontal gyrus (language, semantics)" },
  { 48, "retrosubicular area (medial temporal)" },
};

/* Region families by a word in the AAL or Harvard-Oxford name, the most
 * specific first. */
static const struct {
  const char  *key;
  const char  *description;
} families[] = {
  { "calcarine", "primary visual cortex" },
  { "occipital pole", "primary and early visual cortex" },
  { "precune", "precuneus (default mode, visuospatial imagery)" },
  { "cune", "early visual cortex (cuneus)" },
  { "lingual", "early visual cortex, ventral (lingual gyrus)" },
  { "fusiform", "ventral visual stream (faces, objects, words)" },
  { "occipital", "visual cortex" },
  { "heschl", "primary auditory cortex" },
  { "planum", "auditory cortex (speech, sound)" },
  { "temporal_sup", "auditory association cortex, speech" },
  { "superior temporal", "auditory association cortex, speech" },
  { "temporal_pole", "temporal pole (semantic and social knowledge)" },
  { "temporal pole", "temporal pole (semantic and social knowledge)" },
  { "temporal_inf", "inferior temporal cortex (visual object recognition)" },
  { "inferior temporal", "inferior temporal cortex (visual object recognition)" },
  { "temporal", "temporal cortex (language, semantics, motion)" },
  { "precentral", "primary motor cortex" },
  { "postcentral", "primary somatosensory cortex" },
  { "paracentral", "sensorimotor cortex (lower limb)" },
  { "supp_motor", "supplementary motor area (movement planning)" },
  { "juxtapositional", "supplementary motor area (movement planning)" },
  { "rolandic", "central operculum (sensorimotor, taste)" },
  { "opercul", "operculum (sensorimotor, taste, speech)" },
  { "angular", "angular gyrus (language, semantics, attention)" },
  { "supramarginal", "supramarginal gyrus (phonology, somatosensory association)" },
  { "parietal", "parietal cortex (spatial attention, visuomotor)" },
  { "frontal pole", "frontopolar prefrontal cortex (planning)" },
  { "orb", "orbitofrontal cortex (reward, valuation)" },
  { "frontal_inf", "inferior frontal gyrus (language, inhibition)" },
  { "inferior frontal", "inferior frontal gyrus (language, inhibition)" },
  { "frontal", "prefrontal cortex (executive control, working memory)" },
  { "cingul", "cingulate cortex (attention, emotion, default mode)" },
  { "subcallosal", "subgenual cingulate cortex (mood)" },
  { "insula", "insular cortex (interoception, salience)" },
  { "parahippocampal", "parahippocampal cortex (scene processing, memory)" },
  { "hippocampus", "hippocampus (memory)" },
  { "amygdala", "amygdala (emotion, salience)" },
  { "olfactory", "olfactory cortex" },
  { "caudate", "basal ganglia: caudate (learning, action selection)" },
  { "putamen", "basal ganglia: putamen (motor control)" },
  { "pallidum", "basal ganglia: pallidum (motor control)" },
  { "thalamus", "thalamus (sensory relay, attention)" },
  { "cerebel", "cerebellum (motor coordination, timing)" },
  { "vermis", "cerebellar vermis (posture, eye movements)" },
};

const char *
sa_atlas_describe (SaAtlasKind  kind,
                   const char  *region)
{
  g_autofree char *lower = NULL;

  if (region == NULL)
    return NULL;
  if (kind == SA_ATLAS_BRODMANN)
    {
      int area = g_str_has_prefix (region, "BA") ? atoi (region + 2) : 0;

      for (guint i = 0; i < G_N_ELEMENTS (brodmann); i++)
        if (brodmann[i].area == area)
          return brodmann[i].description;
      return NULL;
    }
  lower = g_ascii_strdown (region, -1);
  for (guint i = 0; i < G_N_ELEMENTS (families); i++)
    if (strstr (lower, families[i].key) != NULL)
      return families[i].description;
  return NULL;
}
