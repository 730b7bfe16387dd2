build-dev/obj/search/rank.o: src/search/rank.c src/core/util.h \
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
