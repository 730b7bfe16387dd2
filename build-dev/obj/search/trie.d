build-dev/obj/search/trie.o: src/search/trie.c src/core/util.h \
 src/search/index_int.h src/core/arena.h src/search/index.h \
 src/domain/model.h src/text/analyze.h src/text/wordset.h \
 src/search/synonyms.h
src/core/util.h:
src/search/index_int.h:
src/core/arena.h:
src/search/index.h:
src/domain/model.h:
src/text/analyze.h:
src/text/wordset.h:
src/search/synonyms.h:
