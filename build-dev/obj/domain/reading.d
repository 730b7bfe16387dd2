build-dev/obj/domain/reading.o: src/domain/reading.c src/domain/reading.h \
 src/core/arena.h src/domain/actor.h src/domain/model.h \
 src/search/index.h src/text/analyze.h src/text/wordset.h \
 src/search/synonyms.h src/domain/articles.h src/store/store.h \
 src/core/rc.h src/domain/searchlog.h src/domain/views.h
src/domain/reading.h:
src/core/arena.h:
src/domain/actor.h:
src/domain/model.h:
src/search/index.h:
src/text/analyze.h:
src/text/wordset.h:
src/search/synonyms.h:
src/domain/articles.h:
src/store/store.h:
src/core/rc.h:
src/domain/searchlog.h:
src/domain/views.h:
